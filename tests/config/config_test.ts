import assert from "node:assert/strict";
import {
  BASE_SCHEMA,
  type InferConfig,
  renderConfig,
  resolveConfig,
  schemaDefaults,
} from "../../lib/config/mod.ts";
import { TEST_SCHEMA } from "./_schema.ts";

const GOOD = `# a preset
[run]
seed = 42
backend = "cpu"
name = "baseline"

[data]
root = ["/data/a", "/data/b"]
image_size = 128
tasks = ["gender", "age"]

[train]
lr = 3e-4
epochs = 5
amp = true
betas = [0.5, 0.99]

[train.task_weights]
gender = 2
age = 0.5

[train.optimizer]
name = "sgd"
`;

Deno.test("resolveConfig with no layers gives the schema defaults", () => {
  const config = resolveConfig(TEST_SCHEMA);
  assert.deepEqual(config, schemaDefaults(TEST_SCHEMA));
  assert.deepEqual(config.run, { seed: 0, backend: "auto", out: "", name: "" });
  assert.equal(config.data.root, "");
  assert.deepEqual(config.train.task_weights, { gender: 1 });
  assert.equal(config.model.kind, "cnn");
});

Deno.test("resolveConfig loads a valid file with the right values and types", () => {
  const config = resolveConfig(TEST_SCHEMA, { files: [{ source: "good.toml", text: GOOD }] });
  assert.deepEqual(config, {
    run: { seed: 42, backend: "cpu", out: "", name: "baseline" },
    data: { root: ["/data/a", "/data/b"], image_size: 128, tasks: ["gender", "age"] },
    train: {
      lr: 3e-4,
      epochs: 5,
      amp: true,
      betas: [0.5, 0.99],
      task_weights: { gender: 2, age: 0.5 },
      optimizer: { name: "sgd", momentum: 0.9 },
    },
    model: { kind: "cnn" },
  });
  // The config type follows the schema: choices are literal unions.
  const backend: "auto" | "webgpu" | "wasm" | "cpu" = config.run.backend;
  const lr: number = config.train.lr;
  const root: string | string[] = config.data.root;
  // @ts-expect-error backend is a union of its choices, not any string
  const wrong: "gpu" = config.run.backend;
  assert.deepEqual([backend, lr, root, wrong], ["cpu", 3e-4, ["/data/a", "/data/b"], "cpu"]);
});

Deno.test("later layers win: defaults < files in order < env < --set", () => {
  const preset = { source: "preset.toml", text: "[run]\nseed = 1\nname = 'preset'\n" };
  const user = { source: "user.toml", text: "[run]\nseed = 2\nbackend = 'wasm'\n" };
  const filesOnly = resolveConfig(BASE_SCHEMA, { files: [preset, user] });
  assert.deepEqual(filesOnly.run, { seed: 2, backend: "wasm", out: "", name: "preset" });

  const withEnv = resolveConfig(BASE_SCHEMA, {
    files: [preset, user],
    env: { WORKBENCH_RUN__SEED: "3", WORKBENCH_RUN__OUT: "runs/x", PATH: "/usr/bin" },
  });
  assert.deepEqual(withEnv.run, { seed: 3, backend: "wasm", out: "runs/x", name: "preset" });

  const withSet = resolveConfig(BASE_SCHEMA, {
    files: [preset, user],
    env: { WORKBENCH_RUN__SEED: "3" },
    sets: ["run.seed=4", "run.backend=cpu", "run.seed=5"],
  });
  assert.deepEqual(withSet.run, { seed: 5, backend: "cpu", out: "", name: "preset" });
});

Deno.test("env names are case-insensitive and split levels at double underscores", () => {
  const config = resolveConfig(TEST_SCHEMA, {
    env: {
      workbench_train__optimizer__name: "sgd",
      WORKBENCH_TRAIN__TASK_WEIGHTS__AGE: "3",
      WORKBENCH_DATA__TASKS: '["age", "health"]',
    },
  });
  assert.equal(config.train.optimizer.name, "sgd");
  assert.deepEqual(config.train.task_weights, { gender: 1, age: 3 });
  assert.deepEqual(config.data.tasks, ["age", "health"]);
});

Deno.test("--set values are TOML when they parse, else bare strings", () => {
  const config = resolveConfig(TEST_SCHEMA, {
    sets: [
      "data.root=/tmp/x",
      "train.lr=1e-2",
      "train.amp=true",
      "train.betas=[0.8, 0.9]",
      'run.name="quoted name"',
      "run.out=2024",
      "data.image_size=256",
    ],
  });
  assert.equal(config.data.root, "/tmp/x");
  assert.equal(config.train.lr, 0.01);
  assert.equal(config.train.amp, true);
  assert.deepEqual(config.train.betas, [0.8, 0.9]);
  assert.equal(config.run.name, "quoted name");
  // A string field keeps the text as given even when it reads as a number.
  assert.equal(config.run.out, "2024");
  assert.equal(config.data.image_size, 256);
  const list = resolveConfig(TEST_SCHEMA, { sets: ['data.root=["/a", "/b"]'] });
  assert.deepEqual(list.data.root, ["/a", "/b"]);
});

Deno.test("record<number> fields merge entry by entry across layers", () => {
  const config = resolveConfig(TEST_SCHEMA, {
    files: [{ source: "a.toml", text: "[train.task_weights]\nage = 2\nhealth = 1\n" }],
    sets: ["train.task_weights.health=0", "train.task_weights={ emotion = 4 }"],
  });
  assert.deepEqual(config.train.task_weights, { gender: 1, age: 2, health: 0, emotion: 4 });
  // A record with free keys can hold any name, in dotted and inline form too.
  const inline = resolveConfig(TEST_SCHEMA, {
    files: [{ source: "b.toml", text: "[train]\ntask_weights = { gender = 0.25 }\n" }],
  });
  assert.deepEqual(inline.train.task_weights, { gender: 0.25 });
});

Deno.test("string-or-list fields take one string or a list of strings", () => {
  const one = resolveConfig(TEST_SCHEMA, {
    files: [{ source: "a.toml", text: '[data]\nroot = "/data/one"\n' }],
  });
  assert.equal(one.data.root, "/data/one");
  const many = resolveConfig(TEST_SCHEMA, {
    files: [{ source: "a.toml", text: "[data]\nroot = ['/a', '/b']\n" }],
  });
  assert.deepEqual(many.data.root, ["/a", "/b"]);
});

Deno.test("dotted keys and inline tables are read like sections", () => {
  const text = 'run.seed = 9\ntrain = { optimizer = { name = "sgd" }, epochs = 2 }\n';
  const config = resolveConfig(TEST_SCHEMA, { files: [{ source: "a.toml", text }] });
  assert.equal(config.run.seed, 9);
  assert.equal(config.train.optimizer.name, "sgd");
  assert.equal(config.train.epochs, 2);
});

Deno.test("the resolved config round-trips through JSON and through the TOML renderer", () => {
  const config = resolveConfig(TEST_SCHEMA, {
    files: [{ source: "good.toml", text: GOOD }],
    sets: ['run.out=runs/with "quotes" and \\ slash', "train.task_weights.odd-key=1"],
  });
  const json: InferConfig<typeof TEST_SCHEMA> = JSON.parse(JSON.stringify(config));
  assert.deepEqual(json, config);

  const text = renderConfig(config, { schema: TEST_SCHEMA, header: "printed" });
  assert.match(text, /^# printed\n\n\[run\]\n# Seed of every random choice/);
  assert.match(text, /\n# TensorFlow.js backend.*\(one of auto \| webgpu \| wasm \| cpu\)\n/);
  assert.match(text, /\n\[train\.task_weights\]\ngender = 2\nage = 0.5\nodd-key = 1\n/);
  const again = resolveConfig(TEST_SCHEMA, { files: [{ source: "printed.toml", text }] });
  assert.deepEqual(again, config);

  // Without a schema the renderer still writes TOML that parses back to the same values.
  const plain = renderConfig(config);
  const fromPlain = resolveConfig(TEST_SCHEMA, { files: [{ source: "plain.toml", text: plain }] });
  assert.deepEqual(fromPlain, config);
});

Deno.test("resolveConfig returns a fresh object that does not share defaults", () => {
  const first = resolveConfig(TEST_SCHEMA);
  first.train.betas.push(0.5);
  first.train.task_weights.age = 9;
  const second = resolveConfig(TEST_SCHEMA);
  assert.deepEqual(second.train.betas, [0.9, 0.999]);
  assert.deepEqual(second.train.task_weights, { gender: 1 });
});
