import assert from "node:assert/strict";
import {
  BASE_SCHEMA,
  listConfigKeys,
  resolveConfig,
  schemaDefaults,
} from "../../lib/config/mod.ts";

const CONFIG_DIR = new URL("../../config/", import.meta.url);

Deno.test("config/default.toml resolves against the base schema to its defaults", async () => {
  const text = await Deno.readTextFile(new URL("default.toml", CONFIG_DIR));
  const config = resolveConfig(BASE_SCHEMA, { files: [{ source: "config/default.toml", text }] });
  assert.deepEqual(config, schemaDefaults(BASE_SCHEMA));
  // Every base key is written out (and documented) in the file.
  for (const { path } of listConfigKeys(BASE_SCHEMA)) {
    assert.match(text, new RegExp(`^${path.at(-1)} = `, "m"), path.join("."));
  }
});

Deno.test("every preset folder has a README saying which issue fills it", async () => {
  for (const folder of ["classification", "diffusion", "segmentation", "data"]) {
    const readme = await Deno.readTextFile(new URL(`${folder}/README.md`, CONFIG_DIR));
    assert.match(readme, /^# \w+ presets\n/, folder);
  }
});
