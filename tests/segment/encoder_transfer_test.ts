/**
 * Encoder transfer: finding, freezing and copying the U-Net's encoder by its layer names,
 * including the stem's adaptation to another input channel count.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildUnet, type UnetOptions } from "../../lib/segment/unet.ts";
import {
  copyEncoderWeights,
  encoderLayers,
  encoderVariableNames,
  setEncoderTrainable,
} from "../../lib/segment/encoder_transfer.ts";
import { bceDiceLoss } from "../../lib/segment/losses.ts";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";

await initBackend({ backend: "cpu" });
const TINY: UnetOptions = { inputSize: 32, widths: [4, 8, 8, 8], decoderWidths: [8, 8, 8, 8, 8] };

/** Every weight of the model by its layer-relative name ("layer/weight"). */
function weightsByName(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(
    model.weights.map((w) => [w.originalName, (w.read().dataSync() as Float32Array).slice()]),
  );
}

Deno.test("encoderLayers and encoderVariableNames follow the naming contract", () => {
  const model = buildUnet({ ...TINY, seed: 1 });
  const layers = encoderLayers(model);
  assert.ok(layers.every((l) => l.name.startsWith("encoder_")));
  const others = model.layers.filter((l) => !layers.includes(l)).map((l) => l.name);
  assert.ok(others.every((n) => n.startsWith("decoder_") || n === "mask"), `${others}`);
  // The encoder owns exactly the trainable variables of "encoder_" layers, by the names
  // tf.variableGrads uses.
  const names = encoderVariableNames(model);
  const expected = model.trainableWeights
    .filter((w) => w.originalName.startsWith("encoder_"))
    .map((w) => (w.read() as tf.Variable).name);
  assert.deepEqual([...names].sort(), expected.sort());
  // resnet18 with GroupNorm: stem conv + norm (3), 8 blocks x 2 convs + 2 norms (48), 3
  // shortcut convs + norms (9).
  assert.equal(names.size, 3 + 48 + 9);
  // A second model with the same layer names gets suffixed variable names of its own.
  const twin = buildUnet({ ...TINY, seed: 1 });
  const twinNames = encoderVariableNames(twin);
  assert.equal(twinNames.size, names.size);
  assert.ok([...twinNames].every((n) => !names.has(n)));
  model.dispose();
  twin.dispose();
});

Deno.test("setEncoderTrainable freezes the encoder for tf.variableGrads", () => {
  const model = buildUnet({ ...TINY, seed: 1 });
  const all = model.trainableWeights.length;
  const encoder = encoderVariableNames(model);
  setEncoderTrainable(model, false);
  assert.equal(model.trainableWeights.length, all - encoder.size);
  assert.equal(encoderVariableNames(model).size, 0);
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomUniform([1, 32, 32, 1], 0, 1, "float32", 1);
  const y = x.greater(0.5).toFloat();
  const { value, grads } = tf.variableGrads(() => {
    return bceDiceLoss(model.apply(x, { training: true }) as tf.Tensor, y);
  }, params);
  assert.ok(Object.keys(grads).every((name) => !encoder.has(name)));
  assert.equal(Object.keys(grads).length, all - encoder.size);
  tf.dispose([x, y, value, ...Object.values(grads)]);
  setEncoderTrainable(model, true);
  assert.equal(model.trainableWeights.length, all);
  model.dispose();
});

Deno.test("copyEncoderWeights copies exactly the encoder", async () => {
  for (const norm of ["group", "batch"] as const) {
    const from = buildUnet({ ...TINY, norm, seed: 1 });
    const to = buildUnet({ ...TINY, norm, seed: 2 });
    const source = weightsByName(from);
    const before = weightsByName(to);
    const report = await assertNoTensorLeaks(() => copyEncoderWeights(from, to));
    const after = weightsByName(to);
    const encoderWeights = [...after.keys()].filter((n) => n.startsWith("encoder_"));
    // BatchNorm's moving mean and variance are copied too.
    assert.equal(report.copied, encoderWeights.length);
    assert.equal(report.copied, norm === "group" ? 20 + 2 * 20 : 20 + 4 * 20); // 20 convs, 20 norms
    assert.deepEqual(report.skipped, []);
    for (const [name, values] of after) {
      const expected = name.startsWith("encoder_") ? source.get(name)! : before.get(name)!;
      assert.deepEqual(values, expected, name);
    }
    from.dispose();
    to.dispose();
  }
});

Deno.test("copyEncoderWeights adapts the stem from 1 to 3 input channels", () => {
  const grey = buildUnet({ ...TINY, inputChannels: 1, seed: 1 });
  const rgb = buildUnet({ ...TINY, inputChannels: 3, seed: 2 });
  const report = copyEncoderWeights(grey, rgb);
  assert.deepEqual(report.skipped, []);
  assert.equal(report.copied, 60);
  // K_rgb[:, :, j, :] = K_grey[:, :, 0, :] / 3 for each of the 3 channels.
  const kGrey = grey.getLayer("encoder_stem_conv").getWeights()[0]; // [7, 7, 1, 4]
  const kRgb = rgb.getLayer("encoder_stem_conv").getWeights()[0]; // [7, 7, 3, 4]
  assert.deepEqual(kRgb.shape, [7, 7, 3, 4]);
  const g = kGrey.dataSync();
  const r = kRgb.dataSync();
  for (let tap = 0; tap < 49; tap++) {
    for (let j = 0; j < 3; j++) {
      for (let f = 0; f < 4; f++) {
        assert.equal(r[(tap * 3 + j) * 4 + f], Math.fround(g[tap * 4 + f] / 3));
      }
    }
  }
  // So a grey image copied into R, G and B gives the grey encoder's features.
  const bottleneck = (m: tf.LayersModel) =>
    tf.model({ inputs: m.inputs, outputs: m.getLayer("encoder_stage4_block2_relu").output });
  const x = tf.randomUniform([2, 32, 32, 1], 0, 1, "float32", 3);
  const x3 = tf.tile(x, [1, 1, 1, 3]);
  const a = bottleneck(grey).predict(x) as tf.Tensor;
  const b = bottleneck(rgb).predict(x3) as tf.Tensor;
  assertAllClose(b.dataSync(), a.dataSync(), { rtol: 1e-4, atol: 1e-5, label: "bottleneck" });
  tf.dispose([x, x3, a, b]);
  grey.dispose();
  rgb.dispose();
});

Deno.test("copyEncoderWeights adapts the stem from 3 to 1 input channel (timm's sum)", () => {
  const rgb = buildUnet({ ...TINY, inputChannels: 3, seed: 1 });
  const grey = buildUnet({ ...TINY, inputChannels: 1, seed: 2 });
  copyEncoderWeights(rgb, grey);
  const expected = tf.tidy(() => rgb.getLayer("encoder_stem_conv").getWeights()[0].sum(2, true));
  const got = grey.getLayer("encoder_stem_conv").getWeights()[0];
  assertAllClose(got.dataSync(), expected.dataSync(), { rtol: 1e-6, label: "stem kernel" });
  expected.dispose();
  rgb.dispose();
  grey.dispose();
});

Deno.test("copyEncoderWeights skips what does not fit and says why", () => {
  // Other widths in stage 4: its layers cannot be copied; the rest can.
  const from = buildUnet({ ...TINY, widths: [4, 8, 8, 16], seed: 1 });
  const to = buildUnet({ ...TINY, seed: 2 });
  const report = copyEncoderWeights(from, to);
  const skippedLayers = report.skipped.map((s) => s.split(":")[0]);
  assert.ok(skippedLayers.length > 0);
  assert.ok(skippedLayers.every((n) => n.startsWith("encoder_stage4_")), `${skippedLayers}`);
  assert.match(
    report.skipped.find((s) => s.startsWith("encoder_stage4_block1_conv1:"))!,
    /shapes \[3,3,8,16\] in the source vs \[3,3,8,8\]/,
  );
  // GroupNorm source into a BatchNorm target: convs copy, norms do not.
  const batch = buildUnet({ ...TINY, norm: "batch", seed: 3 });
  const mixed = copyEncoderWeights(to, batch);
  assert.equal(mixed.copied, 1 + 16 + 3); // conv kernels only
  assert.equal(mixed.skipped.length, 1 + 16 + 3);
  assert.match(mixed.skipped[0], /^encoder_stem_norm: 2 weights in the source vs 4/);
  from.dispose();
  to.dispose();
  batch.dispose();
});
