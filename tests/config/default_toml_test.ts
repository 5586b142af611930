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

Deno.test("every dataset preset in config/data/ resolves against the preprocess schema", async () => {
  const { PREPROCESS_SCHEMA } = await import("../../lib/data/preprocess_schema.ts");
  const { resolveConfig } = await import("../../lib/config/mod.ts");
  const dir = new URL("data/", CONFIG_DIR);
  const presets = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".toml") && !entry.name.startsWith("meta-")) presets.push(entry.name);
  }
  assert.ok(presets.length >= 4, `presets: ${presets}`);
  for (const name of presets) {
    const text = await Deno.readTextFile(new URL(name, dir));
    const config = resolveConfig(PREPROCESS_SCHEMA, { files: [{ source: name, text }] });
    assert.ok(["math", "parkinsons", "seed", "folder"].includes(config.dataset.name), name);
  }
});

Deno.test("every classifier preset in config/classification/ resolves against its schema", async () => {
  const { CLASSIFY_SCHEMA } = await import("../../lib/classify/config_schema.ts");
  const { resolveConfig } = await import("../../lib/config/mod.ts");
  const dir = new URL("classification/", CONFIG_DIR);
  const presets = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".toml")) presets.push(entry.name);
  }
  assert.ok(presets.includes("demo.toml") && presets.includes("baseline.toml"), `${presets}`);
  for (const name of presets) {
    const text = await Deno.readTextFile(new URL(name, dir));
    const config = resolveConfig(CLASSIFY_SCHEMA, { files: [{ source: name, text }] });
    assert.equal(config.model.backbone, "cnn_light", name);
  }
});
