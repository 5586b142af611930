import assert from "node:assert/strict";
import { Fft } from "../../lib/eeg/fft.ts";
import { Rng } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";

/** The DFT by definition, in float64 with exact angles. */
function naiveDft(x: Float64Array, sign: -1 | 1): Float64Array {
  const n = x.length / 2;
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const angle = (sign * 2 * Math.PI * ((k * j) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      out[2 * k] += x[2 * j] * c - x[2 * j + 1] * s;
      out[2 * k + 1] += x[2 * j] * s + x[2 * j + 1] * c;
    }
  }
  return out;
}

// Radix-4 (powers of two >= 4), direct (other lengths <= 64), Bluestein (the rest).
const SIZES = [1, 2, 3, 4, 5, 8, 16, 17, 50, 64, 65, 72, 100, 128, 256, 511];

Deno.test("Fft.forward and inverse equal the DFT by definition for every path", () => {
  const rng = new Rng(7);
  for (const n of SIZES) {
    const x = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const fft = new Fft(n);
    const forward = new Float64Array(2 * n);
    fft.forward(x, forward);
    // Round-off grows like log n (FFT) or sqrt n (direct); 1e-10 of sqrt(n) is ample.
    assertAllClose(forward, naiveDft(x, -1), {
      rtol: 1e-10,
      atol: 1e-10 * Math.sqrt(n),
      label: `n=${n}`,
    });
    const back = new Float64Array(2 * n);
    fft.inverse(forward, back);
    assertAllClose(back, x, { rtol: 1e-10, atol: 1e-12, label: `inverse n=${n}` });
  }
});

Deno.test("Fft rejects lengths that are not positive integers", () => {
  assert.throws(() => new Fft(0), {
    name: "RangeError",
    message: "Cannot build an FFT as its length must be a positive integer: current value is 0",
  });
});
