import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  buildClassifier,
  type ClassifierOptions,
  CLASSIFY_SCHEMA,
} from "../../lib/classify/mod.ts";
import { resolveConfig, schemaDefaults } from "../../lib/config/mod.ts";
import type { LabelSpec } from "../../lib/data/mod.ts";
import { MemoryStorage, storageIOHandler } from "../../lib/io/mod.ts";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";

await initBackend({ backend: "cpu" });

const TASKS: LabelSpec[] = [
  {
    name: "gender",
    kind: "classification",
    classes: ["F", "M"],
    column: "gender",
    description: "",
  },
  {
    name: "health",
    kind: "classification",
    classes: ["a", "b", "c"],
    column: "h",
    description: "",
  },
  { name: "age", kind: "regression", column: "age", description: "" },
];

const SMALL: Omit<ClassifierOptions, "backbone" | "inputShape"> = {
  tasks: TASKS,
  seed: 7,
  embedding: 6,
  depth: 2,
  layerRepeats: 2,
  channels: 3,
  dropout: 0.2,
};

async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
}

Deno.test("cnn_light: layers in the issue's order, one named output per task", async () => {
  await assertNoTensorLeaks(async () => {
    const model = buildClassifier({ ...SMALL, backbone: "cnn_light", inputShape: [16, 12, 2] });
    assert.deepEqual(model.outputNames, ["gender", "health", "age"]);
    assert.deepEqual(model.outputs.map((o) => o.shape), [[null, 2], [null, 3], [null, 1]]);
    const names = model.layers.map((l) => l.name);
    assert.deepEqual(names.slice(0, 14), [
      "input",
      "stem_conv",
      "stem_norm",
      "stem_dropout",
      "stem_pool",
      "block1_norm",
      "block1_conv1",
      "block1_conv2",
      "block1_dropout",
      "block1_pool",
      "block2_norm",
      "block2_conv1",
      "block2_conv2",
      "block2_dropout",
    ]);
    const layer = (name: string) => model.getLayer(name).getConfig();
    assert.deepEqual(layer("stem_conv").kernelSize, [5, 5]);
    assert.equal(layer("stem_conv").activation, "gelu");
    assert.equal(layer("stem_norm").groups, 1);
    assert.deepEqual(layer("block2_conv2").kernelSize, [3, 3]);
    assert.equal(layer("block2_conv2").filters, 12); // channels * 2^2
    assert.equal(layer("gender_embed").units, 6);
    assert.equal(layer("gender_expand").units, 12);
    assert.equal(layer("gender_expand").activation, "gelu");
    assert.equal(layer("gender").activation, "softmax");
    assert.equal(layer("age").activation, "linear");
    assert.deepEqual(model.getLayer("block2_pool").outputShape, [null, 2, 1, 12]);

    const x = tf.randomNormal([3, 16, 12, 2], 0, 1, "float32", 1);
    const [gender, health, age] = model.predict(x) as tf.Tensor[];
    assert.deepEqual([gender.shape, health.shape, age.shape], [[3, 2], [3, 3], [3, 1]]);
    const rows = health.sum(1);
    assertAllClose(await rows.data(), [1, 1, 1], { label: "softmax rows" });
    tf.dispose([x, gender, health, age, rows]);
    model.dispose();
  });
});

Deno.test("cnn_1d: [channels, samples] windows convolve over time", async () => {
  await assertNoTensorLeaks(async () => {
    const model = buildClassifier({ ...SMALL, backbone: "cnn_1d", inputShape: [4, 40] });
    assert.deepEqual(model.getLayer("to_time_major").outputShape, [null, 40, 4]);
    assert.deepEqual(model.getLayer("stem_conv").getConfig().kernelSize, [5]);
    assert.deepEqual(model.getLayer("block2_pool").outputShape, [null, 5, 12]);
    const x = tf.randomNormal([2, 4, 40], 0, 1, "float32", 2);
    const outputs = model.predict(x) as tf.Tensor[];
    assert.deepEqual(outputs.map((o) => o.shape), [[2, 2], [2, 3], [2, 1]]);
    assert.ok(Array.from(await outputs[2].data()).every(Number.isFinite));
    tf.dispose([x, ...outputs]);
    model.dispose();
  });
});

Deno.test("the same seed gives identical initial weights; another seed does not", async () => {
  for (const backbone of ["cnn_light", "cnn_1d"] as const) {
    const inputShape = backbone === "cnn_light" ? [8, 8, 1] : [2, 16];
    const a = buildClassifier({ ...SMALL, backbone, inputShape });
    const b = buildClassifier({ ...SMALL, backbone, inputShape });
    const c = buildClassifier({ ...SMALL, backbone, inputShape, seed: 8 });
    const [wa, wb, wc] = await Promise.all([a, b, c].map(weightsOf));
    assert.equal(wa.length, wb.length);
    wa.forEach((w, i) => assert.deepEqual(w, wb[i], `${backbone} weight ${i}`));
    assert.ok(wa.some((w, i) => w.some((v, j) => v !== wc[i][j])), `${backbone}: seed 8 differs`);
    [a, b, c].forEach((m) => m.dispose());
  }
});

Deno.test("a saved classifier loads with identical predictions", async () => {
  await assertNoTensorLeaks(async () => {
    const model = buildClassifier({ ...SMALL, backbone: "cnn_light", inputShape: [8, 8, 1] });
    const storage = new MemoryStorage();
    await model.save(storageIOHandler(storage, "model"));
    const loaded = await tf.loadLayersModel(storageIOHandler(storage, "model"));
    assert.deepEqual(loaded.outputNames, model.outputNames);
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, "float32", 3);
    const a = model.predict(x) as tf.Tensor[];
    const b = loaded.predict(x) as tf.Tensor[];
    for (let i = 0; i < a.length; i++) assert.deepEqual(await b[i].data(), await a[i].data());
    tf.dispose([x, ...a, ...b]);
    model.dispose();
    loaded.dispose();
  });
});

Deno.test("GELU is the exact erf form", async () => {
  const x = tf.tensor1d([-3, -1, -0.5, 0, 0.5, 1, 2.5]);
  const layer = tf.layers.activation({ activation: "gelu" });
  const y = layer.apply(x) as tf.Tensor;
  // x·Φ(x) with Φ from a high-precision erf (Abramowitz-Stegun 7.1.26 is too coarse).
  const phi: Record<number, number> = {
    [-3]: 0.0013498980316301,
    [-1]: 0.15865525393145707,
    [-0.5]: 0.3085375387259869,
    0: 0.5,
    0.5: 0.6914624612740131,
    1: 0.8413447460685429,
    2.5: 0.9937903346742238,
  };
  assertAllClose(await y.data(), [-3, -1, -0.5, 0, 0.5, 1, 2.5].map((v) => v * phi[v]), {
    rtol: 1e-5,
    atol: 1e-6,
  });
  tf.dispose([x, y]);
});

Deno.test("buildClassifier rejects bad options with clear errors", () => {
  const base = { ...SMALL, backbone: "cnn_light" as const, inputShape: [16, 16, 1] };
  assert.throws(
    () => buildClassifier({ ...base, inputShape: [16, 16] }),
    /\[height, width, channels\]/,
  );
  assert.throws(
    () => buildClassifier({ ...base, inputShape: [4, 16, 1] }),
    /at least 8: current value is 4/,
  );
  assert.throws(() => buildClassifier({ ...base, tasks: [] }), /at least one task/);
  assert.throws(() => buildClassifier({ ...base, tasks: [TASKS[0], TASKS[0]] }), /"gender" twice/);
  assert.throws(() => buildClassifier({ ...base, dropout: 1 }), /\[0, 1\)/);
  assert.throws(() => buildClassifier({ ...base, depth: -1 }), /depth must be an integer >= 0/);
  assert.throws(
    () => buildClassifier({ ...base, backbone: "vit" as "cnn_light" }),
    /cnn_light, cnn_1d: current value is "vit"/,
  );
  assert.throws(
    () => buildClassifier({ ...base, tasks: [{ ...TASKS[0], classes: ["only"] }] }),
    /at least 2 distinct classes/,
  );
});

Deno.test("the classifier config has the original's defaults and validates", () => {
  const config = schemaDefaults(CLASSIFY_SCHEMA);
  assert.deepEqual(
    [config.model.embedding, config.model.depth, config.model.layer_repeats, config.model.dropout],
    [384, 3, 3, 0.43],
  );
  assert.deepEqual(
    [config.train.optimizer, config.train.lr, config.train.weight_decay, config.train.schedule],
    ["adamw", 2e-4, 0.009, "cosine"],
  );
  assert.equal(config.train.warmup_steps, 100);
  assert.equal(config.train.label_smoothing, 0.1);
  const resolved = resolveConfig(CLASSIFY_SCHEMA, {
    files: [{ source: "baseline.toml", text: "[train.task_weights]\ngender = 2\nage = 0.05\n" }],
    sets: ['data.root=["a", "b"]', "train.eval_strategy=steps"],
  });
  assert.deepEqual(resolved.train.task_weights, { gender: 2, age: 0.05 });
  assert.deepEqual(resolved.data.root, ["a", "b"]);
  assert.throws(() => resolveConfig(CLASSIFY_SCHEMA, { sets: ["train.eval_strategy=often"] }));
  assert.throws(() => resolveConfig(CLASSIFY_SCHEMA, { sets: ["train.learning_rate=1"] }));
});
