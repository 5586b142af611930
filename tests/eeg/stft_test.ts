import assert from "node:assert/strict";
import { istft } from "../../lib/eeg/istft.ts";
import { stft, type StftOptions } from "../../lib/eeg/stft.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { assertCloseToGolden, flat } from "./_goldens.ts";
import {
  AXIS_TOLERANCE,
  NOISE as noise,
  optionsOf,
  STFT_CASES,
  STFT_EXTRA as extra,
  STFT_INPUT as input,
  TWOSIDED_OPTIONS,
} from "./_stft_goldens.ts";

// float64 arithmetic, float32 output; worst observed error 5e-8 of max|Z|. Tolerance:
// 1e-4 relative plus 1e-6 x max|Z| absolute (bins near zero).
const CPU_TOLERANCE = { rtol: 1e-4, atolFraction: 1e-6 };

// Equal to scipy.

Deno.test("stft equals scipy.signal.stft for every window, boundary and padding", () => {
  assert.equal(STFT_CASES.length, 24);
  for (const c of STFT_CASES) {
    const label = `${c.window} nperseg=${c.nperseg} boundary=${c.boundary} padded=${c.padded}`;
    const out = stft(input, optionsOf(c));
    assert.deepEqual(out.shape, c.shape, label);
    assertCloseToGolden(out.re, flat(c.re), { ...CPU_TOLERANCE, label: `${label} re` });
    assertCloseToGolden(out.im, flat(c.im), { ...CPU_TOLERANCE, label: `${label} im` });
    assertAllClose(out.frequenciesHz, c.frequencies, { ...AXIS_TOLERANCE, label });
    assertAllClose(out.timesSeconds, c.times, { ...AXIS_TOLERANCE, label });
  }
});

Deno.test("stft equals scipy two-sided with psd scaling and a sampling rate", () => {
  const g = extra.twosided;
  const out = stft(input, TWOSIDED_OPTIONS);
  assert.deepEqual(out.shape, g.shape);
  assertCloseToGolden(out.re, flat(g.re), { ...CPU_TOLERANCE, label: "re" });
  assertCloseToGolden(out.im, flat(g.im), { ...CPU_TOLERANCE, label: "im" });
  assertAllClose(out.frequenciesHz, g.frequencies, { ...AXIS_TOLERANCE });
  assertAllClose(out.timesSeconds, g.times, { ...AXIS_TOLERANCE });
});

Deno.test("istft equals scipy.signal.istft (one-sided hann and hamming, two-sided psd)", () => {
  for (const r of extra.roundtrips) {
    const options = optionsOf(r);
    const out = istft(stft(input, options), options);
    assertCloseToGolden(flat(out.signal), flat(r.istft), { ...CPU_TOLERANCE, label: r.window });
  }
  const out = istft(stft(input, TWOSIDED_OPTIONS), TWOSIDED_OPTIONS);
  assertCloseToGolden(flat(out.signal), flat(extra.twosided.istft), {
    ...CPU_TOLERANCE,
    label: "two-sided",
  });
  assert.equal(out.timesSeconds[1], 1 / 500);
});

// Properties.

Deno.test("stft: a sine's peak sits at its frequency, with amplitude / 2", () => {
  const fs = 125;
  const hz = (20 * fs) / 256; // on bin 20
  const x = Float32Array.from(
    { length: 4000 },
    (_, n) => 3 * Math.sin((2 * Math.PI * hz * n) / fs),
  );
  const { re, im, shape: [, bins, frames], frequenciesHz } = stft([x], {
    frameLength: 256,
    hop: 64,
    sampleRateHz: fs,
  });
  for (let t = 4; t < frames - 4; t++) {
    let best = 0;
    for (let k = 0; k < bins; k++) {
      const m = Math.hypot(re[k * frames + t], im[k * frames + t]);
      if (m > Math.hypot(re[best * frames + t], im[best * frames + t])) best = k;
    }
    assert.equal(frequenciesHz[best], hz);
    const peak = Math.hypot(re[best * frames + t], im[best * frames + t]);
    assert.ok(Math.abs(peak - 1.5) < 1e-3, `frame ${t}: peak ${peak}`);
  }
});

Deno.test("stft: Parseval holds frame by frame", () => {
  const frameLength = 128;
  const hop = 32;
  const window = "hann";
  const { re, im, shape: [channelCount, bins, frames] } = stft(noise, {
    frameLength,
    hop,
    window,
    boundary: null,
    padded: false,
  });
  const w = Float64Array.from(
    { length: frameLength },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / frameLength),
  );
  const windowSum = w.reduce((a, b) => a + b);
  for (let c = 0; c < channelCount; c++) {
    for (let t = 0; t < frames; t++) {
      let time = 0;
      for (let n = 0; n < frameLength; n++) time += (w[n] * noise[c][t * hop + n]) ** 2;
      // One-sided: bins 1..N/2-1 stand for two; spectrum scaling divided by sum(w).
      let freq = 0;
      for (let k = 0; k < bins; k++) {
        const i = (c * bins + k) * frames + t;
        freq += (k === 0 || k === bins - 1 ? 1 : 2) * (re[i] ** 2 + im[i] ** 2);
      }
      freq *= windowSum ** 2 / frameLength;
      assert.ok(Math.abs(freq - time) < 1e-5 * time, `channel ${c} frame ${t}: ${freq} vs ${time}`);
    }
  }
});

Deno.test("istft(stft(x)) = x for even, odd, padded-FFT and two-sided settings", () => {
  const settings: StftOptions[] = [
    {},
    { frameLength: 64, hop: 16, window: "hamming" },
    { frameLength: 51, hop: 17 },
    { frameLength: 40, hop: 10, fftLength: 100 },
    { frameLength: 32, hop: 32, window: "rectangular" },
    { frameLength: 48, onesided: false, scaling: "psd", sampleRateHz: 250 },
  ];
  for (const options of settings) {
    const { signal } = istft(stft(noise, options), options);
    for (let c = 0; c < noise.length; c++) {
      assertAllClose(signal[c].subarray(0, 1000), noise[c], {
        rtol: 1e-5,
        atol: 1e-5,
        label: JSON.stringify(options),
      });
    }
  }
});

Deno.test("stft and istft reject bad shapes and options with named errors", () => {
  assert.throws(() => stft(new Float32Array(19) as unknown as Float32Array[]), {
    name: "TypeError",
    message: "Error in stft: signal must be [channels, samples] but got shape [19]",
  });
  assert.throws(() => stft([[1, 2, 3]] as unknown as Float32Array[]), /channel 0 is an Array/);
  assert.throws(() => stft(noise, { frameLength: 64, hop: 65 }), /hop must be at most frameLength/);
  assert.throws(
    () => stft(noise, { frameLength: 64, fftLength: 32 }),
    /fftLength must be >= frameLength/,
  );
  assert.throws(
    () => stft(noise, { frameLength: 2000 }),
    /must not exceed the signal's 1000 samples/,
  );
  assert.throws(
    () => istft({ re: new Float32Array(6), im: new Float32Array(6), shape: [2, 3] as never }),
    {
      name: "TypeError",
      message: "Error in istft: spectrogram must be [channels, bins, frames] but got shape [2, 3]",
    },
  );
});
