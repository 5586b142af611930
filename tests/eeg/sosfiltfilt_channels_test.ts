import assert from "node:assert/strict";
import { cheby1Sos } from "../../lib/eeg/filter_design.ts";
import { sosfiltfilt, sosfiltfiltChannels } from "../../lib/eeg/sosfiltfilt.ts";
import { biquadPairKernel } from "../../lib/eeg/biquad_pair_wasm.ts";
import { Rng } from "../../lib/runtime/rng.ts";

Deno.test("the WebAssembly SIMD pair kernel compiles in Deno", () => {
  assert.notEqual(biquadPairKernel(), null);
});

Deno.test("sosfiltfiltChannels equals sosfiltfilt channel by channel, bit for bit", () => {
  const rng = new Rng(4);
  const channel = (n: number) => Float32Array.from({ length: n }, () => 1e-5 * rng.normal());
  // 1, 2, 4 and 5 sections (a group of four plus one), odd channel counts, unequal lengths.
  for (const order of [2, 4, 8, 10]) {
    const sos = cheby1Sos({ order, rippleDb: 0.05, cutoff: 0.2 });
    for (const lengths of [[500], [500, 500, 500], [300, 300, 301, 301, 299], [4000, 4000]]) {
      const signal = lengths.map(channel);
      const got = sosfiltfiltChannels(sos, signal);
      assert.equal(got.length, signal.length);
      signal.forEach((x, c) => {
        assert.deepEqual(got[c], sosfiltfilt(sos, x), `order ${order}, lengths ${lengths}, ${c}`);
      });
      // Keeping every 4th sample keeps exactly those samples.
      const picked = sosfiltfiltChannels(sos, signal, { every: 4 });
      signal.forEach((x, c) => {
        const full = sosfiltfilt(sos, x);
        assert.deepEqual(picked[c], full.filter((_, i) => i % 4 === 0), `every 4, ${c}`);
      });
    }
  }
});

Deno.test("sosfiltfiltChannels rejects a signal shorter than the padding, naming it", () => {
  const sos = cheby1Sos({ order: 8, rippleDb: 0.05, cutoff: 0.2 });
  assert.throws(
    () => sosfiltfiltChannels(sos, [new Float32Array(20), new Float32Array(20)]),
    /longer than the padding of 27 samples: current value is 20/,
  );
});
