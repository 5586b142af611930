import assert from "node:assert/strict";
import { getWindow, hamming, hann, kaiser, rectangular } from "../../lib/eeg/window.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { readGolden } from "./_goldens.ts";

const golden = await readGolden<{ windows: Record<string, number[]> }>("windows.json");
const LENGTHS = [1, 2, 7, 8, 511];
// Windows are cosines of exact angles: float64 agreement to a few ulps.
const TOLERANCE = { rtol: 1e-12, atol: 1e-14 };

Deno.test("hann, hamming, rectangular equal scipy.signal.get_window (periodic and symmetric)", () => {
  const functions = { hann, hamming, rectangular };
  for (const [name, fn] of Object.entries(functions)) {
    for (const length of LENGTHS) {
      for (const periodic of [true, false]) {
        const key = `${name}_${length}_${periodic ? "periodic" : "symmetric"}`;
        assertAllClose(fn(length, { periodic }), golden.windows[key], { ...TOLERANCE, label: key });
      }
      assertAllClose(
        getWindow(name as "hann", length),
        golden.windows[`${name}_${length}_periodic`],
        { ...TOLERANCE, label: `getWindow ${name} ${length}` },
      );
    }
  }
});

Deno.test("hann(511) is numpy.hanning(511), the log spectrogram's window", () => {
  assertAllClose(hann(511), golden.windows.numpy_hanning_511, { ...TOLERANCE, label: "hanning" });
});

Deno.test("kaiser(M, 5) equals scipy.signal.windows.kaiser", () => {
  for (const length of LENGTHS) {
    assertAllClose(kaiser(length, 5), golden.windows[`kaiser5_${length}_symmetric`], {
      ...TOLERANCE,
      label: `kaiser ${length}`,
    });
  }
});

Deno.test("getWindow accepts samples of the right length and names boxcar", () => {
  assert.deepEqual([...getWindow(new Float32Array([1, 2, 3]), 3)], [1, 2, 3]);
  assert.deepEqual([...getWindow("boxcar", 3)], [1, 1, 1]);
  assert.equal(hann(0).length, 0);
});

Deno.test("windows reject bad lengths and names", () => {
  assert.throws(() => hann(2.5), {
    name: "RangeError",
    message: "Cannot build the hann window as its length must be a non-negative integer: " +
      "current value is 2.5",
  });
  assert.throws(
    () => getWindow(new Float64Array(4), 5),
    /its length must equal 5: current value is 4/,
  );
  assert.throws(() => getWindow("blackman" as "hann", 5), /must be one of hann, hamming/);
});
