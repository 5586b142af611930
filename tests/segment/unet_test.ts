/**
 * The U-Net: forward parity with the PyTorch peer network (goldens from
 * tests/segment/make_unet_goldens.py) on cpu and wasm, the naming contract, shapes,
 * save/load through tf.io, a short training run on the cpu backend, and one train step
 * on wasm (with the project's wasm gradient kernels) against the same step on cpu.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildUnet, resolveUnetOptions, type UnetOptions } from "../../lib/segment/unet.ts";
import { bceDiceLoss } from "../../lib/segment/losses.ts";
import { assertNoTensorLeaks, initBackend, Rng } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { reloadModel } from "../_support/reload_model.ts";

interface Quantised {
  shape: number[];
  exp: number;
  ints: number[];
}
interface GoldenCase {
  options: UnetOptions;
  input: Quantised;
  weights: Record<string, Quantised[]>;
  output: number[];
  outputShape: number[];
}

const GOLDEN: { cases: GoldenCase[] } = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/unet_goldens.json", import.meta.url)),
);
const TINY: UnetOptions = { inputSize: 32, widths: [4, 8, 8, 8], decoderWidths: [8, 8, 8, 8, 8] };

const dequantise = (q: Quantised) => tf.tensor(q.ints.map((v) => v * 2 ** q.exp), q.shape);

/** Bright disks on noise: images `[B, S, S, 1]` and their 0/1 masks. */
function disks(batch: number, size: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const rng = new Rng(seed);
  const x = new Float32Array(batch * size * size);
  const y = new Float32Array(batch * size * size);
  for (let b = 0; b < batch; b++) {
    const count = 1 + rng.int(2);
    const circles = Array.from({ length: count }, () => ({
      cx: size * (0.2 + 0.6 * rng.float()),
      cy: size * (0.2 + 0.6 * rng.float()),
      r: size * (0.1 + 0.12 * rng.float()),
    }));
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const k = (b * size + i) * size + j;
        const inside = circles.some((c) => (i - c.cy) ** 2 + (j - c.cx) ** 2 <= c.r ** 2);
        y[k] = inside ? 1 : 0;
        x[k] = (inside ? 0.8 : 0.2) + 0.15 * rng.normal();
      }
    }
  }
  return {
    x: tf.tensor4d(x, [batch, size, size, 1]),
    y: tf.tensor4d(y, [batch, size, size, 1]),
  };
}

for (const backend of ["cpu", "wasm"] as const) {
  for (const c of GOLDEN.cases) {
    const o = c.options;
    const label = `${o.encoder} ${o.decoder} ${o.output} ${o.norm} ${o.inputChannels}ch`;
    Deno.test(`unet forward equals the PyTorch peer (${label}, ${backend})`, async () => {
      await initBackend({ backend });
      const model = buildUnet(o);
      for (const [name, weights] of Object.entries(c.weights)) {
        const values = weights.map(dequantise);
        model.getLayer(name).setWeights(values);
        tf.dispose(values);
      }
      const x = dequantise(c.input);
      const got = await assertNoTensorLeaks(async () => {
        const y = model.predict(x) as tf.Tensor;
        assert.deepEqual(y.shape, c.outputShape);
        const data = await y.data();
        y.dispose();
        return data;
      });
      // Probabilities after ~40 float32 layers whose sums run in another order than
      // PyTorch's; measured max |diff| 1.5e-6 (cpu) and 1.2e-6 (wasm).
      assertAllClose(got, c.output, { rtol: 1e-4, atol: 2e-6, label });
      x.dispose();
      model.dispose();
    });
  }
}

Deno.test("unet: naming contract, shapes and layer counts", async () => {
  await initBackend({ backend: "cpu" });
  for (
    const [options, blocks, channels] of [
      [{ ...TINY, encoder: "resnet18", decoder: "upsample" }, 8, 1],
      [{ ...TINY, encoder: "resnet34", decoder: "transposed", output: "softmax" }, 16, 2],
    ] as const
  ) {
    const model = buildUnet(options);
    const names = model.layers.map((l) => l.name);
    const bad = names.filter((n) => !/^(encoder_|decoder_)/.test(n) && n !== "mask");
    assert.deepEqual(bad, []);
    assert.equal(names.at(-1), "mask");
    assert.equal(model.outputs[0].shape.join(), `,32,32,${channels}`);
    assert.equal(names.filter((n) => /^encoder_stage\d_block\d+_add$/.test(n)).length, blocks);
    assert.equal(names.filter((n) => n.endsWith("_shortcut_conv")).length, 3);
    assert.equal(names.filter((n) => /^decoder_block\d_conv\d$/.test(n)).length, 10);
    assert.equal(names.filter((n) => n.endsWith("_concat")).length, 4);
    // Skips meet the upsampled maps at 1/16, 1/8, 1/4 and 1/2 of the input.
    const concatSizes = model.layers.filter((l) => l.name.endsWith("_concat"))
      .map((l) => (l.output as tf.SymbolicTensor).shape[1]);
    assert.deepEqual(concatSizes, [2, 4, 8, 16]);
    // Only the head has a bias among the plain convolutions (a norm follows the others).
    const biased = model.layers.filter((l) =>
      l.getClassName() === "Conv2D" && l.weights.length === 2
    );
    assert.deepEqual(biased.map((l) => l.name), ["mask"]);
    model.dispose();
  }
  // smp's widths give smp's decoder: resnet18 [64, 128, 256, 512] -> [256, 128, 64, 32, 16].
  assert.deepEqual(
    resolveUnetOptions({ widths: [64, 128, 256, 512] }).decoderWidths,
    [256, 128, 64, 32, 16],
  );
});

Deno.test("unet: the seed fixes the initial weights", async () => {
  await initBackend({ backend: "cpu" });
  const weights = (seed: number) => {
    const model = buildUnet({ ...TINY, seed });
    const values = model.getWeights().map((w) => Array.from(w.dataSync()));
    model.dispose();
    return values;
  };
  const a = weights(3);
  assert.deepEqual(weights(3), a);
  const b = weights(4);
  assert.notDeepEqual(b[0], a[0]);
  // He-normal stem kernel (fan-in 49): std sqrt(2/49) = 0.202, truncated at 2 std -> 0.178.
  const stem = a[0];
  const std = Math.sqrt(stem.reduce((s, v) => s + v * v, 0) / stem.length);
  assert.ok(std > 0.13 && std < 0.23, `stem kernel std ${std}`);
});

Deno.test("unet: save and load through tf.io reproduce the predictions", async () => {
  await initBackend({ backend: "cpu" });
  for (const norm of ["group", "batch"] as const) {
    const model = buildUnet({ ...TINY, norm, seed: 5, decoder: "transposed" });
    const { x } = disks(2, 32, 1);
    const before = model.predict(x) as tf.Tensor;
    const loaded = await reloadModel(model);
    const after = loaded.predict(x) as tf.Tensor;
    assert.deepEqual(Array.from(await after.data()), Array.from(await before.data()));
    assert.deepEqual(loaded.layers.map((l) => l.name), model.layers.map((l) => l.name));
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  }
});

Deno.test("unet: option errors say what is wrong", () => {
  assert.throws(() => buildUnet({ inputSize: 48 }), /inputSize must be a positive multiple of 32/);
  assert.throws(
    () => buildUnet({ widths: [4, 8, 8] }),
    /widths must be 4 positive integers .*: current value is \[4,8,8\]/,
  );
  assert.throws(
    () => buildUnet({ encoder: "resnet50" as "resnet18" }),
    /encoder must be one of resnet18, resnet34: current value is "resnet50"/,
  );
  assert.throws(() => buildUnet({ inputChannels: 2 as 1 }), /inputChannels must be 1 or 3/);
});

/** `steps` Adam steps of bce_dice on one batch; returns the losses. */
async function train(
  model: tf.LayersModel,
  batch: { x: tf.Tensor; y: tf.Tensor },
  steps: number,
): Promise<number[]> {
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => {
      const pred = model.apply(batch.x, { training: true }) as tf.Tensor;
      return bceDiceLoss(pred, batch.y);
    }, true) as tf.Scalar;
    losses.push((await loss.data())[0]);
    loss.dispose();
  }
  optimizer.dispose();
  return losses;
}

Deno.test("unet: 30 Adam steps of bce_dice learn disks on noise (wasm)", async () => {
  // On wasm, the project's CPU path: tfjs's plain-JS cpu backend spends ~0.5 s a step in
  // its Conv2DBackpropFilter at this size. The next test shows both take the same step.
  await initBackend({ backend: "wasm" });
  const model = buildUnet({ ...TINY, seed: 1 });
  const batch = disks(4, 32, 2);
  const before = tf.memory().numTensors;
  const losses = await train(model, batch, 30);
  assert.equal(tf.memory().numTensors, before); // Adam's moments were disposed with it
  const first = losses[0];
  const last = losses.at(-1)!;
  assert.ok(losses.every(Number.isFinite));
  assert.ok(last < 0.25 * first, `loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  // The trained model segments the training batch: Dice of the 0.5-thresholded mask.
  const pred = (model.predict(batch.x) as tf.Tensor).greater(0.5).toFloat();
  const overlap = pred.mul(batch.y).sum().dataSync()[0];
  const dice = (2 * overlap) / (pred.sum().dataSync()[0] + batch.y.sum().dataSync()[0]);
  assert.ok(dice > 0.9, `dice ${dice.toFixed(3)}`);
  tf.dispose([batch.x, batch.y, pred]);
  model.dispose();
});

/** One train step's gradients (by layer-relative weight name) and loss, on the backend. */
async function trainStepGradients(
  backend: "cpu" | "wasm",
): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  await initBackend({ backend });
  const model = buildUnet({ ...TINY, inputSize: 64, seed: 9 });
  const batch = disks(2, 64, 3);
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const out = await assertNoTensorLeaks(async () => {
    const { value, grads } = tf.variableGrads(() => {
      const pred = model.apply(batch.x, { training: true }) as tf.Tensor;
      return bceDiceLoss(pred, batch.y);
    }, params);
    const byName = new Map<string, Float32Array>();
    for (const [i, w] of model.trainableWeights.entries()) {
      byName.set(w.originalName, (await grads[params[i].name].data()) as Float32Array);
    }
    const loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    return { loss, grads: byName };
  }, { label: `train step on ${backend}` });
  tf.dispose([batch.x, batch.y]);
  model.dispose();
  return out;
}

Deno.test("unet: one train step on wasm gives the cpu gradients", async () => {
  const cpu = await trainStepGradients("cpu");
  const wasm = await trainStepGradients("wasm");
  assertAllClose([wasm.loss], [cpu.loss], { rtol: 1e-5, label: "loss" });
  assert.equal(wasm.grads.size, cpu.grads.size);
  for (const [name, expected] of cpu.grads) {
    const got = wasm.grads.get(name)!;
    // rtol 1e-3 of each tensor's largest gradient: float32 sums over 2x64x64 pixels in
    // another order (measured max deviation 2.5e-5 of the scale).
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assertAllClose(got, expected, { rtol: 1e-3, atol: 1e-3 * scale, label: name });
  }
});
