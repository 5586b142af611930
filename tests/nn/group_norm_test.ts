import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MemoryStorage, storageIOHandler } from "../../lib/io/mod.ts";
import { GroupNorm, groupNorm, SeededDropout, seededDropout } from "../../lib/nn/mod.ts";
import { assertNoTensorLeaks, initBackend, Rng } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { requireWebGpu, SKIP_WEBGPU } from "../_support/webgpu.ts";

function randomValues(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * 2 + 0.5);
}

/** GroupNorm straight from Wu & He eq. 1-3, in float64, for x [B, S, C] (S = H·W). */
function groupNormReference(
  x: Float32Array,
  [b, s, c]: [number, number, number],
  groups: number,
  gamma: number[],
  beta: number[],
  epsilon: number,
): Float64Array {
  const out = new Float64Array(x.length);
  const perGroup = c / groups;
  for (let n = 0; n < b; n++) {
    for (let g = 0; g < groups; g++) {
      const at = (i: number, k: number) => n * s * c + i * c + g * perGroup + k;
      let sum = 0;
      for (let i = 0; i < s; i++) for (let k = 0; k < perGroup; k++) sum += x[at(i, k)];
      const mean = sum / (s * perGroup);
      let sq = 0;
      for (let i = 0; i < s; i++) {
        for (let k = 0; k < perGroup; k++) sq += (x[at(i, k)] - mean) ** 2;
      }
      const variance = sq / (s * perGroup);
      for (let i = 0; i < s; i++) {
        for (let k = 0; k < perGroup; k++) {
          const ch = g * perGroup + k;
          out[at(i, k)] = (x[at(i, k)] - mean) / Math.sqrt(variance + epsilon) * gamma[ch] +
            beta[ch];
        }
      }
    }
  }
  return out;
}

for (const backend of ["cpu", "wasm", "webgpu"] as const) {
  const ignore = backend === "webgpu" && SKIP_WEBGPU;
  Deno.test({ name: `GroupNorm equals the formula (${backend})`, ignore }, async () => {
    if (backend === "webgpu") requireWebGpu();
    await initBackend({ backend });
    for (const groups of [1, 2, 6]) {
      const shape: [number, number, number, number] = [2, 3, 4, 6]; // [B, H, W, C]
      const values = randomValues(2 * 3 * 4 * 6, groups);
      const gamma = [1.5, -0.5, 2, 1, 0.25, 3];
      const beta = [0.1, 0.2, -0.3, 0, 1, -1];
      await assertNoTensorLeaks(async () => {
        const model = tf.sequential({
          layers: [groupNorm({ groups, epsilon: 1e-3, inputShape: [3, 4, 6] })],
        });
        const x = tf.tensor4d(values, shape);
        const weights = [tf.tensor1d(gamma), tf.tensor1d(beta)];
        model.layers[0].setWeights(weights);
        tf.dispose(weights);
        const layer = model.layers[0];
        const y = layer.apply(x) as tf.Tensor;
        const expected = groupNormReference(values, [2, 12, 6], groups, gamma, beta, 1e-3);
        assertAllClose(await y.data(), expected, {
          rtol: 1e-4,
          atol: 1e-5,
          label: `groups ${groups}`,
        });
        tf.dispose([x, y]);
        model.dispose();
      });
    }
  });
}

Deno.test("GroupNorm works on [B, T, C] and rejects channels that groups do not divide", async () => {
  await initBackend({ backend: "cpu" });
  const values = randomValues(2 * 5 * 4, 3);
  const model = tf.sequential({ layers: [groupNorm({ groups: 2, inputShape: [5, 4] })] });
  const x = tf.tensor3d(values, [2, 5, 4]);
  const y = model.predict(x) as tf.Tensor;
  const expected = groupNormReference(values, [2, 5, 4], 2, [1, 1, 1, 1], [0, 0, 0, 0], 1e-5);
  assertAllClose(await y.data(), expected, { rtol: 1e-4, atol: 1e-5 });
  tf.dispose([x, y]);
  model.dispose();
  const bad = groupNorm({ groups: 3 });
  const z = tf.zeros([1, 2, 2, 4]);
  assert.throws(() => bad.apply(z), /C divisible by groups 3.*\[1,2,2,4\]/);
  z.dispose();
  assert.throws(() => groupNorm({ groups: 0 }), RangeError);
});

Deno.test("GroupNorm and SeededDropout survive a save/load round trip", async () => {
  await initBackend({ backend: "cpu" });
  await assertNoTensorLeaks(async () => {
    const input = tf.input({ shape: [4, 4, 4] });
    let h = tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: "same",
      activation: "gelu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    }).apply(input) as tf.SymbolicTensor;
    h = groupNorm({ groups: 2, epsilon: 1e-4, name: "norm" }).apply(h) as tf.SymbolicTensor;
    h = seededDropout({ rate: 0.3, seed: 9, name: "drop" }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: h });
    // Non-trivial gamma/beta so the round trip is tested on learned values.
    const weights = [tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0.5, 0, -0.5, 1])];
    model.getLayer("norm").setWeights(weights);
    tf.dispose(weights);

    const storage = new MemoryStorage();
    await model.save(storageIOHandler(storage, "m"));
    const loaded = await tf.loadLayersModel(storageIOHandler(storage, "m"));
    const loadedNorm = loaded.getLayer("norm");
    assert.ok(loadedNorm instanceof GroupNorm);
    assert.equal(loadedNorm.groups, 2);
    assert.equal(loadedNorm.epsilon, 1e-4);
    const loadedDrop = loaded.getLayer("drop");
    assert.ok(loadedDrop instanceof SeededDropout);
    assert.deepEqual([loadedDrop.rate, loadedDrop.seed], [0.3, 9]);

    const x = tf.tensor4d(randomValues(2 * 4 * 4 * 4, 5), [2, 4, 4, 4]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    assert.deepEqual(await b.data(), await a.data());
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});

Deno.test("SeededDropout: masks depend on seed and step only; identity at inference", async () => {
  await initBackend({ backend: "cpu" });
  await assertNoTensorLeaks(async () => {
    const x = tf.ones([64]);
    const mask = async (seed: number, step: number) => {
      const layer = seededDropout({ rate: 0.5, seed });
      layer.step = step;
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      assert.equal(layer.step, step + 1);
      const values = Array.from(await y.data());
      y.dispose();
      return values;
    };
    const a = await mask(1, 5);
    assert.deepEqual(await mask(1, 5), a);
    assert.notDeepEqual(await mask(1, 6), a);
    assert.notDeepEqual(await mask(2, 5), a);
    // Inverted dropout: kept values are scaled by 1 / (1 - rate).
    assert.ok(a.every((v) => v === 0 || v === 2));
    const inference = seededDropout({ rate: 0.5, seed: 1 }).apply(x) as tf.Tensor;
    assert.deepEqual(Array.from(await inference.data()), new Array(64).fill(1));
    tf.dispose([x, inference]);
  });
  assert.throws(() => seededDropout({ rate: 1, seed: 0 }), RangeError);
  assert.throws(() => seededDropout({ rate: 0.1, seed: -1 }), RangeError);
});
