import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { assertNoTensorLeaks, initBackend } from "../../../lib/runtime/mod.ts";
import { groupNorm } from "../../../lib/nn/group_norm.ts";
import { assertAllClose } from "../../_support/assert_close.ts";

/**
 * Output, and gradients of sum(y * w) for x, gamma and beta, of one GroupNorm layer. Seeds
 * must not be 0: tfjs's random ops treat seed 0 as "no seed".
 */
async function forwardAndGradients(shape: number[], groups: number, seed: number) {
  const layer = groupNorm({ groups, epsilon: 1e-5 });
  const x = tf.randomNormal(shape, 0.5, 2, "float32", seed);
  layer.build(x.shape);
  // Non-trivial gamma and beta, so their gradients and use are checked too.
  const channels = shape[shape.length - 1];
  const [gammaVar, betaVar] = layer.trainableWeights;
  const gamma = tf.randomUniform([channels], 0.5, 1.5, "float32", seed + 1);
  const beta = tf.randomNormal([channels], 0, 1, "float32", seed + 2);
  gammaVar.write(gamma);
  betaVar.write(beta);
  tf.dispose([gamma, beta]);
  const w = tf.randomNormal(shape, 0, 1, "float32", seed + 3);
  const y = layer.apply(x) as tf.Tensor;
  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar,
    layer.trainableWeights.map((v) => v.read() as tf.Variable),
  );
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, w)))(x);
  const out = {
    y: (await y.data()) as Float32Array,
    dx: (await dx.data()) as Float32Array,
    dgamma: (await Object.values(grads)[0].data()) as Float32Array,
    dbeta: (await Object.values(grads)[1].data()) as Float32Array,
  };
  tf.dispose([x, w, y, value, dx, ...Object.values(grads)]);
  for (const v of layer.weights) v.dispose();
  return out;
}

const CASES: [number[], number][] = [
  [[2, 6, 5, 8], 4], // [B, H, W, C]
  [[3, 7, 12], 3], // [B, T, C] (cnn_1d)
  [[1, 4, 4, 6], 1], // one group (LayerNorm-like)
  [[2, 3, 3, 6], 6], // one channel per group (InstanceNorm-like)
];

for (const [i, [shape, groups]] of CASES.entries()) {
  Deno.test(`fused wasm GroupNorm equals the composed cpu one: [${shape}] / ${groups} groups`, async () => {
    await initBackend({ backend: "cpu" });
    assert.equal(tf.getKernel("WorkbenchGroupNorm", "cpu"), undefined, "cpu keeps the composition");
    const expected = await forwardAndGradients(shape, groups, 10 * i + 1);
    await initBackend({ backend: "wasm" });
    assert.notEqual(tf.getKernel("WorkbenchGroupNorm", "wasm"), undefined);
    const got = await assertNoTensorLeaks(() => forwardAndGradients(shape, groups, 10 * i + 1), {
      label: `[${shape}]`,
    });
    for (const key of ["y", "dx", "dgamma", "dbeta"] as const) {
      assertAllClose(got[key], expected[key], { rtol: 1e-4, atol: 1e-4, label: key });
    }
  });
}
