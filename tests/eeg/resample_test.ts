import assert from "node:assert/strict";
import { cheby1Sos, firwinLowpass } from "../../lib/eeg/filter_design.ts";
import { decimate, resamplePoly } from "../../lib/eeg/resample.ts";
import { sosfiltfilt, sosfiltZi } from "../../lib/eeg/sosfiltfilt.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { assertCloseToGolden, channels, flat, readGolden } from "./_goldens.ts";

interface ResampleGolden {
  input: number[][];
  cheby1Sos: Record<string, number[][]>;
  decimate: Record<string, number[][]>;
  baVersusSosRelativeGap: Record<string, number>;
  resamplePoly: Record<string, number[][]>;
  firwinKaiser: { numtaps: number; cutoff: number; taps: number[] };
}
const golden = await readGolden<ResampleGolden>("resample.json");
const input = channels(golden.input); // 3 channels x 2400 samples at 500 Hz, volts

// Outputs are float32; computation is float64 as scipy's. Observed worst error: 5e-8 of
// the largest magnitude (float32 rounding). Tolerance: 1e-4 relative plus an absolute
// 1e-6 x max|expected| for samples near zero crossings.
const TOLERANCE = { rtol: 1e-4, atolFraction: 1e-6 };

Deno.test("cheby1Sos equals scipy.signal.cheby1(8, 0.05, 0.8 / q, output='sos')", () => {
  for (const q of [4, 8]) {
    const sos = cheby1Sos({ order: 8, rippleDb: 0.05, cutoff: 0.8 / q });
    assertAllClose(sos.flat(), flat(golden.cheby1Sos[q]), {
      rtol: 1e-9,
      atol: 1e-15,
      label: `sos q=${q}`,
    });
  }
});

Deno.test("firwinLowpass equals scipy.signal.firwin with a Kaiser window", () => {
  const { numtaps, cutoff, taps } = golden.firwinKaiser;
  assertAllClose(firwinLowpass(numtaps, cutoff, { kaiserBeta: 5 }), taps, {
    rtol: 1e-9,
    atol: 1e-15,
    label: "firwin",
  });
});

Deno.test("decimate equals scipy.signal.decimate(x, q, zero_phase=True) for q = 4 and 8", () => {
  for (const q of [4, 8]) {
    const out = decimate(input, q);
    assert.equal(out.length, 3);
    assert.equal(out[0].length, 2400 / q);
    assertCloseToGolden(flat(out), flat(golden.decimate[q]), { ...TOLERANCE, label: `q=${q}` });
    // scipy's b/a filtfilt and SOS sosfiltfilt agree (why SOS is the faithful choice).
    assert.ok(golden.baVersusSosRelativeGap[q] < 1e-8);
  }
});

Deno.test("decimate accepts float64 channels and odd lengths (ceil(n / q) samples)", () => {
  const odd = [Float64Array.from(input[0].subarray(0, 2399))];
  const out = decimate(odd, 4);
  assert.equal(out[0].length, 600);
  const full = decimate([input[0]], 4)[0];
  // Away from the end, the shorter input filters the same way.
  assertAllClose(out[0].subarray(0, 400), full.subarray(0, 400), { rtol: 1e-4, atol: 1e-9 });
});

Deno.test("resamplePoly equals scipy.signal.resample_poly for 125/512 and 5/8", () => {
  for (const [up, down] of [[125, 512], [5, 8]]) {
    const out = resamplePoly(input, { up, down });
    assert.equal(out[0].length, Math.ceil((2400 * up) / down));
    assertCloseToGolden(flat(out), flat(golden.resamplePoly[`${up}/${down}`]), {
      ...TOLERANCE,
      label: `${up}/${down}`,
    });
  }
  // 200 -> 125 Hz is 5/8 after dividing by the gcd.
  assertAllClose(
    resamplePoly(input, { up: 125, down: 200 })[1],
    resamplePoly(input, { up: 5, down: 8 })[1],
  );
});

Deno.test("decimate keeps a pass-band sine and removes one above the new Nyquist", () => {
  const fs = 500;
  const sine = (hz: number) =>
    Float32Array.from({ length: 5000 }, (_, n) => Math.sin((2 * Math.PI * hz * n) / fs));
  const [kept] = decimate([sine(10)], 4); // 125 Hz output; 10 Hz is in the pass band
  const expected = Float32Array.from(
    { length: 1250 },
    (_, n) => Math.sin((2 * Math.PI * 10 * n * 4) / fs),
  );
  // Pass-band ripple 0.05 dB = 0.6 %; zero phase: no delay.
  assertAllClose(kept.subarray(100, 1150), expected.subarray(100, 1150), { atol: 7e-3, rtol: 0 });
  const [removed] = decimate([sine(100)], 4); // 100 Hz > 62.5 Hz Nyquist
  const rms = Math.sqrt(removed.subarray(100, 1150).reduce((a, v) => a + v * v, 0) / 1050);
  assert.ok(rms < 1e-3, `aliased 100 Hz sine kept rms ${rms}`);
});

Deno.test("sosfiltfilt starts in steady state: a constant comes out constant", () => {
  const sos = cheby1Sos({ order: 8, rippleDb: 0.05, cutoff: 0.2 });
  const y = sosfiltfilt(sos, new Float64Array(100).fill(2));
  // An even-order Chebyshev I filter has its DC gain at the ripple's floor, 10^(-0.05/20);
  // forwards and backwards squares it. No start-up transient at either end.
  const gain = 10 ** (-0.05 / 10);
  assertAllClose(y, new Float64Array(100).fill(2 * gain), { rtol: 1e-9, atol: 0 });
  assert.equal(sosfiltZi(sos).length, 8);
});

Deno.test("resampling functions reject bad shapes and factors with named errors", () => {
  assert.throws(() => decimate(new Float32Array(19) as unknown as Float32Array[], 4), {
    name: "TypeError",
    message: "Error in decimate: signal must be [channels, samples] but got shape [19]",
  });
  assert.throws(
    () => resamplePoly([new Float32Array(10), new Float32Array(9)], { up: 1, down: 2 }),
    {
      name: "TypeError",
      message: "Error in resamplePoly: signal must be [channels, samples] with channels of " +
        "equal length but channel 1 has 9 samples and channel 0 has 10",
    },
  );
  assert.throws(
    () => decimate([new Float32Array(100)], 0),
    /Cannot decimate as the factor q must be a positive integer: current value is 0/,
  );
  assert.throws(() => decimate([new Float32Array(27)], 4), /longer than the padding of 27/);
  assert.throws(() => decimate([new Float32Array(100)], 4, { order: 5 }), /even integer/);
  assert.throws(() => resamplePoly([new Float32Array(10)], { up: 1.5, down: 2 }), /up must be/);
});
