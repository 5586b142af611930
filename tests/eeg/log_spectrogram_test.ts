import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  logSpectrogram,
  logSpectrogramFrames,
  logSpectrogramFrequencies,
  logSpectrogramHop,
} from "../../lib/eeg/log_spectrogram.ts";
import { logSpectrogramGpu } from "../../lib/eeg/log_spectrogram_gpu.ts";
import { assertNoTensorLeaks, Rng } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { assertCloseToGolden, channels, flat, readGolden } from "./_goldens.ts";
import { gpuTest } from "./_backends.ts";

interface LogSpectrogramGolden {
  input: number[][];
  hop: number;
  shape: [number, number, number];
  re: number[][][];
  im: number[][][];
}
// 2048 samples at 125 Hz (decimated eegmat recording, volts) and a plain numpy version of
// RECIPES.md step 6: hop 172 for two channels, hop 176 (SEED) for one.
const goldens = await Promise.all(
  [172, 176].map((hop) => readGolden<LogSpectrogramGolden>(`log_spectrogram_${hop}.json`)),
);

// CPU: float64 with a float32 result; worst observed 4e-8 of max|X|.
const CPU_TOLERANCE = { rtol: 1e-4, atolFraction: 1e-6 };
// tfjs: float32 sums of 511 products; worst observed 8e-7 of max|X| (webgpu).
const GPU_TOLERANCE = { rtol: 1e-4, atolFraction: 1e-5 };

Deno.test("the hop rule gives 172 for 20 channels, 176 in multiples of 8 (SEED)", () => {
  assert.equal(logSpectrogramHop(), 172);
  assert.equal(logSpectrogramHop({ channels: 20, multiple: 8 }), 176);
  // Exactly representable case: 2048 / 128 = 16 frames fit 256 / 16 = 16 channels.
  assert.equal(logSpectrogramHop({ channels: 16 }), 128);
  assert.throws(() => logSpectrogramHop({ channels: 300 }), /do not fit into 256 columns/);
});

Deno.test("frames: 355 zeros and 12 frames for hop 172; 399 and 12 for hop 176", () => {
  assert.deepEqual(logSpectrogramFrames(2048, { hop: 172 }), { padding: 355, frames: 12 });
  assert.deepEqual(logSpectrogramFrames(2048, { hop: 176 }), { padding: 399, frames: 12 });
  assert.throws(
    () => logSpectrogramFrames(2048, { hop: 1500 }),
    /length mod hop must be at most 511/,
  );
});

Deno.test("frequencies run from 1e-3 to 0.5 cycles per sample, log-spaced", () => {
  const f = logSpectrogramFrequencies();
  assert.equal(f.length, 256);
  assert.equal(f[0], 0);
  assertAllClose([f[1], f[255]], [1e-3, 0.5], { rtol: 1e-14, atol: 0 });
  const ratio = f[2] / f[1];
  for (let k = 2; k < 256; k++) assert.ok(Math.abs(f[k] / f[k - 1] - ratio) < 1e-12);
});

Deno.test("logSpectrogram equals the numpy reference of RECIPES step 6 (hops 172 and 176)", () => {
  for (const g of goldens) {
    const out = logSpectrogram(channels(g.input), { hop: g.hop });
    assert.deepEqual(out.shape, g.shape);
    assertCloseToGolden(out.re, flat(g.re), { ...CPU_TOLERANCE, label: `hop ${g.hop} re` });
    assertCloseToGolden(out.im, flat(g.im), { ...CPU_TOLERANCE, label: `hop ${g.hop} im` });
  }
});

/** A cosine at f_k (cycles per sample) plus an offset, 2048 samples. */
function cosineAt(k: number, offset = 0): Float32Array {
  const f = logSpectrogramFrequencies()[k];
  return Float32Array.from({ length: 2048 }, (_, n) => offset + Math.cos(2 * Math.PI * f * n));
}

Deno.test("logSpectrogram: a cosine peaks on its row; row 0 is sum(x) / sqrt(L)", () => {
  for (const k of [120, 200, 250]) {
    const x = cosineAt(k, 0.25);
    const { re, im, shape: [, bins, frames] } = logSpectrogram([x], { hop: 172 });
    const sum = x.reduce((a, b) => a + b, 0);
    for (let t = 0; t < frames; t++) {
      assert.ok(Math.abs(re[t] - sum / Math.sqrt(2048)) < 1e-4 && im[t] === 0);
      let best = 1;
      const magnitude = (row: number) => Math.hypot(re[row * frames + t], im[row * frames + t]);
      for (let row = 1; row < bins; row++) if (magnitude(row) > magnitude(best)) best = row;
      assert.equal(best, k, `frame ${t}`);
      // Full frames: |X_k| = 2 (sum(hann) / 2) / sqrt(511) = 255 / sqrt(511).
      if (t < 9) assert.ok(Math.abs(magnitude(k) / (255 / Math.sqrt(511)) - 1) < 0.01);
    }
  }
});

Deno.test("logSpectrogram rejects bad shapes with named errors", () => {
  assert.throws(() => logSpectrogram(new Float32Array(2048) as unknown as Float32Array[]), {
    name: "TypeError",
    message: "Error in logSpectrogram: signal must be [channels, samples] but got shape [2048]",
  });
  assert.throws(
    () => logSpectrogram([new Float32Array(100)], { hop: 0 }),
    /hop must be a positive integer/,
  );
});

gpuTest("logSpectrogramGpu equals the numpy reference (hops 172 and 176)", async () => {
  for (const g of goldens) {
    const { re, im } = logSpectrogramGpu(channels(g.input), { hop: g.hop });
    assert.deepEqual(re.shape, g.shape);
    const [gotRe, gotIm] = await Promise.all([re.data(), im.data()]);
    tf.dispose([re, im]);
    assertCloseToGolden(gotRe, flat(g.re), { ...GPU_TOLERANCE, label: `hop ${g.hop} re` });
    assertCloseToGolden(gotIm, flat(g.im), { ...GPU_TOLERANCE, label: `hop ${g.hop} im` });
  }
});

gpuTest("logSpectrogramGpu batches [windows, channels, L] like per-window CPU calls", async () => {
  const rng = new Rng(3);
  const windows = [0, 1, 2].map(() =>
    [0, 1, 2, 3].map(() => Float32Array.from({ length: 2048 }, () => 1e-5 * rng.normal()))
  );
  const batch = tf.tensor3d(Float32Array.from(windows.flat().flatMap((c) => [...c])), [3, 4, 2048]);
  await assertNoTensorLeaks(async () => {
    const { re, im } = logSpectrogramGpu(batch, { hop: 172 });
    assert.deepEqual(re.shape, [3, 4, 256, 12]);
    const [gotRe, gotIm] = await Promise.all([re.data(), im.data()]);
    tf.dispose([re, im]);
    const expected = windows.map((w) => logSpectrogram(w, { hop: 172 }));
    assertCloseToGolden(gotRe, flat(expected.map((e) => e.re)), { ...GPU_TOLERANCE, label: "re" });
    assertCloseToGolden(gotIm, flat(expected.map((e) => e.im)), { ...GPU_TOLERANCE, label: "im" });
    assert.throws(() => logSpectrogramGpu(batch, { hop: 1500 }), /at most 511/);
  }, { label: "logSpectrogramGpu" });
  assert.ok(!batch.isDisposed);
  batch.dispose();
});

gpuTest("logSpectrogramGpu rejects bad shapes with named errors", () => {
  const vector = tf.zeros([2048]);
  assert.throws(() => logSpectrogramGpu(vector), {
    name: "TypeError",
    message: "Error in logSpectrogramGpu: windows must be [..., channels, samples] but got " +
      "shape [2048]",
  });
  vector.dispose();
  assert.throws(
    () => logSpectrogramGpu([new Float32Array(4), new Float32Array(5)]),
    /Error in logSpectrogramGpu: signal must be \[channels, samples\] with channels of equal length/,
  );
  return Promise.resolve();
});
