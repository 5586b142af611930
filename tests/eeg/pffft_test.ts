import assert from "node:assert/strict";
import FFTJS from "fft.js";
import { pffftAvailable, PffftComplex, pffftPlan, pffftSupports } from "../../lib/eeg/pffft.ts";
import { PFFFT_WASM_BASE64, PFFFT_WASM_VERSION } from "../../lib/eeg/_pffft_wasm.ts";
import { encodeBase64 } from "./_base64.ts";
import { Rng } from "../../lib/runtime/rng.ts";

Deno.test("the embedded PFFFT module is the pinned npm package's SIMD build, byte for byte", async () => {
  const simd = new URL(import.meta.resolve("@echogarden/pffft-wasm/simd"));
  const packageJson = JSON.parse(await Deno.readTextFile(new URL("../../package.json", simd)));
  assert.equal(PFFFT_WASM_VERSION, packageJson.version);
  const wasm = await Deno.readFile(new URL("pffft.wasm", simd));
  assert.equal(PFFFT_WASM_BASE64, encodeBase64(wasm), "rerun tests/eeg/vendor_pffft_wasm.ts");
});

/** The DFT in float64: fft.js for powers of two, else the direct sum. */
function referenceDft(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  if ((n & (n - 1)) === 0) {
    new FFTJS(n).transform(out, x);
    return out;
  }
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((k * j) % n)) / n;
      out[2 * k] += x[2 * j] * Math.cos(angle) - x[2 * j + 1] * Math.sin(angle);
      out[2 * k + 1] += x[2 * j] * Math.sin(angle) + x[2 * j + 1] * Math.cos(angle);
    }
  }
  return out;
}

Deno.test("PFFFT's forward DFT equals the float64 DFT to single precision", () => {
  assert.ok(pffftAvailable(), "WebAssembly SIMD is available in Deno");
  const rng = new Rng(11);
  for (const n of [16, 48, 240, 256, 1024]) {
    const plan = new PffftComplex(n);
    const x = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const got = new Float64Array(2 * n);
    plan.transform(got, x);
    const want = referenceDft(x, n);
    const scale = Math.max(...want.map(Math.abs));
    const error = Math.max(...want.map((v, i) => Math.abs(v - got[i])));
    assert.ok(error / scale < 5e-7, `n ${n}: ${error / scale}`);
    // The buffer interface gives the same numbers.
    plan.input.set(x);
    plan.run();
    assert.deepEqual(Float64Array.from(plan.output), got);
  }
});

Deno.test("PFFFT lengths: multiples of 16 with factors 2, 3, 5; others are refused by name", () => {
  assert.deepEqual([16, 48, 80, 240, 256, 1024].map(pffftSupports), Array(6).fill(true));
  assert.deepEqual([8, 24, 112, 511, 0, -16, 16.5].map(pffftSupports), Array(7).fill(false));
  assert.throws(
    () => new PffftComplex(511),
    /length must be a multiple of 16.*current value is 511/,
  );
});

Deno.test("pffftPlan shares one plan per length and is null where PFFFT cannot serve", () => {
  assert.equal(pffftPlan(1024), pffftPlan(1024));
  assert.notEqual(pffftPlan(256), null);
  assert.equal(pffftPlan(511), null);
});
