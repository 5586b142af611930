import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { Spectrogram } from "../../lib/eeg/channel_signal.ts";
import { stft } from "../../lib/eeg/stft.ts";
import { istftGpu, stftGpu } from "../../lib/eeg/stft_gpu.ts";
import { assertNoTensorLeaks } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { assertCloseToGolden, flat } from "./_goldens.ts";
import { gpuTest } from "./_backends.ts";
import {
  AXIS_TOLERANCE,
  NOISE as noise,
  optionsOf,
  STFT_CASES,
  STFT_EXTRA as extra,
  STFT_INPUT as input,
  type StftCase,
  TWOSIDED_OPTIONS,
} from "./_stft_goldens.ts";

// float32 matmuls of length <= 72; worst observed error 3e-7 of max|Z| (webgpu, lavapipe).
// Tolerance: 1e-4 relative plus 1e-5 x max|Z| absolute.
const GPU_TOLERANCE = { rtol: 1e-4, atolFraction: 1e-5 };

async function readBack(spec: { re: tf.Tensor; im: tf.Tensor }): Promise<Spectrogram> {
  const [re, im] = await Promise.all([spec.re.data(), spec.im.data()]);
  const shape = spec.re.shape as [number, number, number];
  tf.dispose([spec.re, spec.im]);
  return { re: re as Float32Array, im: im as Float32Array, shape };
}

gpuTest("stftGpu equals scipy.signal.stft in every case", async () => {
  for (const c of [...STFT_CASES, { ...extra.twosided, nperseg: 32 }]) {
    const twosided = !("padded" in c);
    const options = twosided ? TWOSIDED_OPTIONS : optionsOf(c as StftCase);
    const spec = stftGpu(input, options);
    assertAllClose(spec.timesSeconds, c.times, { ...AXIS_TOLERANCE });
    const out = await readBack(spec);
    const label = twosided ? "two-sided" : `${c.window} ${c.nperseg} ${c.boundary} ${c.padded}`;
    assert.deepEqual(out.shape, c.shape);
    assertCloseToGolden(out.re, flat(c.re), { ...GPU_TOLERANCE, label: `${label} re` });
    assertCloseToGolden(out.im, flat(c.im), { ...GPU_TOLERANCE, label: `${label} im` });
  }
});

gpuTest("istftGpu equals scipy.signal.istft", async () => {
  for (const r of extra.roundtrips) {
    const options = optionsOf(r);
    const spec = stftGpu(input, options);
    const { signal } = istftGpu(spec, options);
    const got = await signal.data();
    tf.dispose([spec.re, spec.im, signal]);
    assertCloseToGolden(got, flat(r.istft), { ...GPU_TOLERANCE, label: r.window });
  }
  // From a CPU spectrogram too.
  const { signal } = istftGpu(stft(input, TWOSIDED_OPTIONS), TWOSIDED_OPTIONS);
  assertCloseToGolden(await signal.data(), flat(extra.twosided.istft), {
    ...GPU_TOLERANCE,
    label: "two-sided",
  });
  signal.dispose();
});

gpuTest("stftGpu: a sine's peak sits at its frequency; istftGpu(stftGpu(x)) = x", async () => {
  const x = Float32Array.from({ length: 1024 }, (_, n) => Math.cos(2 * Math.PI * 0.125 * n));
  const out = await readBack(stftGpu([x], { frameLength: 64, hop: 16 }));
  const [, bins, frames] = out.shape;
  for (let t = 0; t < frames; t++) {
    const magnitude = (k: number) => Math.hypot(out.re[k * frames + t], out.im[k * frames + t]);
    for (let k = 0; k < bins; k++) if (k !== 8) assert.ok(magnitude(k) <= magnitude(8));
  }
  for (
    const options of [{ frameLength: 51, hop: 17 }, { frameLength: 40, hop: 10, fftLength: 100 }]
  ) {
    const tensor = tf.tensor2d(Float32Array.from(noise.flatMap((c) => [...c])), [3, 1000]);
    const spec = stftGpu(tensor, options);
    const { signal } = istftGpu(spec, options);
    const got = await signal.data();
    tf.dispose([tensor, spec.re, spec.im, signal]);
    const length = got.length / 3;
    for (let c = 0; c < 3; c++) {
      assertAllClose(got.subarray(c * length, c * length + 1000), noise[c], {
        rtol: 1e-4,
        atol: 1e-4,
        label: `round trip ${JSON.stringify(options)}`,
      });
    }
  }
});

gpuTest("stftGpu and istftGpu leave no tensors behind, even when they throw", async () => {
  const tensor = tf.tensor2d(Float32Array.from(noise.flatMap((c) => [...c])), [3, 1000]);
  await assertNoTensorLeaks(async () => {
    const spec = stftGpu(tensor, { frameLength: 64, hop: 16 });
    const { signal } = istftGpu(spec, { frameLength: 64, hop: 16 });
    await signal.data();
    tf.dispose([spec.re, spec.im, signal]);
    assert.throws(() => stftGpu(tensor, { frameLength: 5000 }), /must not exceed/);
    assert.throws(() => istftGpu(stft(noise), { frameLength: 300 }), /fftLength must be >=/);
  }, { label: "stftGpu/istftGpu" });
  assert.ok(!tensor.isDisposed, "the caller's input is not disposed");
  tensor.dispose();
});

gpuTest("stftGpu and istftGpu reject bad shapes with named errors", () => {
  const flatSignal = tf.zeros([19]);
  const matrix = tf.zeros([2, 3]);
  assert.throws(() => stftGpu(flatSignal), {
    name: "TypeError",
    message: "Error in stftGpu: signal must be [channels, samples] but got shape [19]",
  });
  assert.throws(
    () => istftGpu({ re: matrix, im: matrix }),
    /Error in istftGpu: spectrogram must be \[channels, bins, frames\] but got shapes re \[2, 3\]/,
  );
  tf.dispose([flatSignal, matrix]);
  return Promise.resolve();
});
