import assert from "node:assert/strict";
import {
  BASE_SCHEMA,
  closestName,
  extendSchema,
  field,
  isField,
  levenshteinDistance,
  listConfigKeys,
  listSections,
  readEnvOverrides,
  resolveConfig,
  schemaDefaults,
} from "../../lib/config/mod.ts";
import { BACKEND_REQUESTS } from "../../lib/runtime/backend.ts";
import { TEST_SCHEMA } from "./_schema.ts";

Deno.test("the base schema has [run] with seed, backend, out and name", () => {
  assert.deepEqual(schemaDefaults(BASE_SCHEMA), {
    run: { seed: 0, backend: "auto", out: "", name: "" },
  });
  assert.deepEqual(BASE_SCHEMA.run.backend.choices, [...BACKEND_REQUESTS]);
  for (const { field } of listConfigKeys(BASE_SCHEMA)) assert.ok(field.doc.length > 10);
});

Deno.test("extendSchema merges sections, adds new ones and leaves its inputs alone", () => {
  const extra = {
    run: { resume: field.boolean({ default: false, doc: "Resume from the last checkpoint" }) },
    model: { depth: field.integer({ default: 4, doc: "Depth", min: 1 }) },
  };
  const schema = extendSchema(BASE_SCHEMA, extra);
  assert.deepEqual(
    listConfigKeys(schema).map((k) => k.key),
    ["run.seed", "run.backend", "run.out", "run.name", "run.resume", "model.depth"],
  );
  assert.deepEqual(Object.keys(BASE_SCHEMA.run), ["seed", "backend", "out", "name"]);
  const config = resolveConfig(schema, { sets: ["run.resume=true", "model.depth=2"] });
  assert.equal(config.run.resume, true);
  assert.equal(config.model.depth, 2);
});

Deno.test("extendSchema lets a task change a default by replacing a field", () => {
  const schema = extendSchema(BASE_SCHEMA, {
    run: { backend: field.choice({ choices: ["cpu", "wasm"], default: "cpu", doc: "Backend" }) },
  });
  assert.equal(resolveConfig(schema).run.backend, "cpu");
  assert.equal(resolveConfig(schema).run.seed, 0);
});

Deno.test("extendSchema rejects a field that would become a section", () => {
  assert.throws(
    () =>
      extendSchema(BASE_SCHEMA, {
        run: { seed: { value: field.integer({ default: 0, doc: "x" }) } },
      }),
    {
      name: "TypeError",
      message:
        'Cannot extend the schema as "run.seed" must stay a field: current value is a section',
    },
  );
});

Deno.test("listConfigKeys and listSections walk nested sections in order", () => {
  assert.deepEqual(listSections(TEST_SCHEMA), ["run", "data", "train", "train.optimizer", "model"]);
  const keys = listConfigKeys(TEST_SCHEMA);
  assert.equal(keys.length, 15);
  assert.deepEqual(keys.find((k) => k.key === "train.optimizer.name")?.path, [
    "train",
    "optimizer",
    "name",
  ]);
  // A section with a field called "kind" is still a section.
  assert.equal(isField(TEST_SCHEMA.model), false);
  assert.equal(isField(TEST_SCHEMA.model.kind), true);
});

Deno.test("levenshteinDistance and closestName", () => {
  assert.equal(levenshteinDistance("", "abc"), 3);
  assert.equal(levenshteinDistance("abc", "abc"), 0);
  assert.equal(levenshteinDistance("flaw", "lawn"), 2);
  assert.equal(levenshteinDistance("train.lrr", "train.lr"), 1);
  assert.equal(closestName("train.lrr", ["train.epochs", "train.lr", "run.seed"]), "train.lr");
  assert.equal(closestName("model", ["run.seed"]), undefined);
  assert.equal(closestName("ab", ["xy"], { maxDistance: 2 }), "xy");
});

Deno.test("readEnvOverrides picks prefixed variables in name order", () => {
  const overrides = readEnvOverrides(TEST_SCHEMA, {
    WORKBENCH_TRAIN__LR: "0.5",
    HOME: "/root",
    workbench_run__Seed: "3",
    WORKBENCH_DATA__ROOT: "/data/x",
  });
  assert.deepEqual(overrides.map((o) => [o.name, o.path.join("."), o.value]), [
    ["WORKBENCH_DATA__ROOT", "data.root", "/data/x"],
    ["WORKBENCH_TRAIN__LR", "train.lr", 0.5],
    ["workbench_run__Seed", "run.seed", 3],
  ]);
  const custom = readEnvOverrides(TEST_SCHEMA, { APP_RUN__SEED: "1" }, { prefix: "APP_" });
  assert.deepEqual(custom[0].path, ["run", "seed"]);
});
