import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MemoryStorage, RunFolder } from "../../lib/io/mod.ts";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { AdamW, clipByGlobalNorm, createOptimizer, SgdMomentum } from "../../lib/train/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";

await initBackend({ backend: "cpu" });

const GRADS = [[0.5, -1, 2], [0.1, 0.3, -0.2], [-2, 0.5, 0.05]];
const INIT = [1, -0.5, 0.25];

/** PyTorch's AdamW, in float64: decay, moments, bias-corrected update. */
function adamwReference(
  { lr, beta1, beta2, eps, wd }: {
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    wd: number;
  },
): number[] {
  const theta = [...INIT];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  GRADS.forEach((g, s) => {
    const t = s + 1;
    for (let i = 0; i < 3; i++) {
      theta[i] *= 1 - lr * wd;
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2;
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - beta2 ** t) + eps;
      theta[i] -= (lr / (1 - beta1 ** t)) * m[i] / denom;
    }
  });
  return theta;
}

function variable(values: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor1d(values)));
}

async function run(optimizer: (w: tf.Variable) => tf.Optimizer): Promise<Float32Array> {
  const w = variable(INIT);
  const opt = optimizer(w);
  for (const g of GRADS) {
    const grad = tf.tensor1d(g);
    opt.applyGradients({ [w.name]: grad });
    grad.dispose();
  }
  const out = await w.data() as Float32Array;
  opt.dispose();
  w.dispose();
  return out;
}

Deno.test("AdamW steps equal PyTorch's formula; weight decay is decoupled", async () => {
  await assertNoTensorLeaks(async () => {
    const settings = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.5 };
    const got = await run((w) =>
      new AdamW([w], {
        learningRate: 0.1,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        weightDecay: 0.5,
      })
    );
    assertAllClose(got, adamwReference(settings), { rtol: 1e-6, atol: 1e-7, label: "adamw" });
    // Decoupled: with zero gradients the weights only shrink by (1 - lr·λ) per step.
    const w = variable([2]);
    const opt = new AdamW([w], { learningRate: 0.1, weightDecay: 0.5 });
    const zero = tf.zeros([1]);
    opt.applyGradients({ [w.name]: zero });
    assertAllClose(await w.data(), [2 * 0.95], { label: "decay only" });
    tf.dispose([zero, w]);
    opt.dispose();
    // Adam is AdamW without decay.
    const adam = await run((w) =>
      createOptimizer([w], {
        optimizer: "adam",
        lr: 0.1,
        weight_decay: 0.5,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        momentum: 0,
      })
    );
    assertAllClose(adam, adamwReference({ ...settings, wd: 0 }), { rtol: 1e-6, atol: 1e-7 });
  });
});

Deno.test("SGD with momentum and L2 equals PyTorch's formula", async () => {
  await assertNoTensorLeaks(async () => {
    const theta = [...INIT];
    const buf = [0, 0, 0];
    for (const g of GRADS) {
      for (let i = 0; i < 3; i++) {
        buf[i] = 0.9 * buf[i] + g[i] + 0.01 * theta[i];
        theta[i] -= 0.05 * buf[i];
      }
    }
    const got = await run((w) =>
      new SgdMomentum([w], { learningRate: 0.05, momentum: 0.9, weightDecay: 0.01 })
    );
    assertAllClose(got, theta, { rtol: 1e-6, atol: 1e-7 });
  });
});

Deno.test("optimizer state restores into a rebuilt model and continues exactly", async () => {
  for (const name of ["adamw", "sgd"] as const) {
    const settings = {
      optimizer: name,
      lr: 0.05,
      weight_decay: 0.1,
      beta1: 0.9,
      beta2: 0.99,
      epsilon: 1e-8,
      momentum: 0.8,
    };
    const make = () => variable(INIT);
    const step = (opt: tf.Optimizer, w: tf.Variable, g: number[]) => {
      const grad = tf.tensor1d(g);
      opt.applyGradients({ [w.name]: grad });
      grad.dispose();
    };
    // Straight: three steps. Resumed: one step, save, restore into fresh variables, two more.
    const a = make();
    const optA = createOptimizer([a], settings);
    GRADS.forEach((g) => step(optA, a, g));

    const b = make();
    const optB = createOptimizer([b], settings);
    step(optB, b, GRADS[0]);
    const run = new RunFolder(new MemoryStorage());
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    await run.saveCheckpoint("last", { model, optimizer: optB, step: 1 });
    const c = tf.variable(b.clone());
    const optC = createOptimizer([c], settings);
    const { model: loaded } = await run.loadCheckpoint("last", { optimizer: optC });
    assert.equal(optC.iterations, 1);
    GRADS.slice(1).forEach((g) => step(optC, c, g));
    assert.deepEqual(
      await c.data(),
      await a.data(),
      `${name}: resumed equals straight, bit for bit`,
    );
    [optA, optB, optC].forEach((o) => o.dispose());
    tf.dispose([a, b, c]);
    model.dispose();
    loaded.dispose();
  }
});

Deno.test("optimizers reject gradients of unknown variables and wrong saved state", async () => {
  const w = tf.variable(tf.zeros([2]));
  const opt = new AdamW([w]);
  const g = tf.zeros([2]);
  assert.throws(
    () => opt.applyGradients({ other: g }),
    /one of its 1 parameters: current value is "other"/,
  );
  const m = tf.zeros([3]);
  await assert.rejects(
    opt.setWeights([{ name: "iter", tensor: tf.scalar(1) }, { name: "param0/m", tensor: m }]),
    /must hold 2 slots/,
  );
  tf.dispose([w, g, m]);
  opt.dispose();
});

Deno.test("clipping by global norm scales all gradients together", async () => {
  await assertNoTensorLeaks(async () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // ‖g‖ = 5
    const clipped = clipByGlobalNorm(grads, 2.5);
    assert.equal((await clipped.norm.data())[0], 5);
    const scale = 2.5 / (5 + 1e-6);
    assertAllClose(await clipped.grads.a.data(), [3 * scale, 0]);
    assertAllClose(await clipped.grads.b.data(), [0, 4 * scale]);
    const loose = clipByGlobalNorm(grads, 10); // under the limit: unchanged
    assert.deepEqual(await loose.grads.b.data(), await grads.b.data());
    const off = clipByGlobalNorm(grads, 0);
    assert.deepEqual(await off.grads.a.data(), await grads.a.data());
    assert.throws(() => clipByGlobalNorm(grads, -1), RangeError);
    for (const r of [clipped, loose, off]) tf.dispose([r.norm, ...Object.values(r.grads)]);
    tf.dispose(Object.values(grads));
  });
});
