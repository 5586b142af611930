/**
 * The whole spectrogram recipe on a real recording, against the original recipe computed
 * in numpy/scipy/MNE (tests/eeg/make_spectrogram_image_goldens.py): read the EDF, scale to
 * volts, map the 20 channels by name, decimate 500 -> 125 Hz, take window 3, log-frequency
 * spectrogram, then the db, db-iq and db-polar images. Pixels must agree within one grey
 * level (floor() at a bin edge may go either way after float32 arithmetic).
 */
import assert from "node:assert/strict";
import { bytesSource, readEdf, voltsPerUnit } from "../../lib/eeg/edf/mod.ts";
import { decimate } from "../../lib/eeg/resample.ts";
import { logSpectrogram } from "../../lib/eeg/log_spectrogram.ts";
import { mapChannels } from "../../lib/eeg/channel_map.ts";
import { spectrogramImage, type SpectrogramVariant } from "../../lib/eeg/spectrogram_image.ts";
import { testWithData } from "./_edf_test_support.ts";

const golden = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/spectrogram_image_goldens.json", import.meta.url)),
);

async function unpack(b64: string): Promise<Uint8Array> {
  const gz = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const EDF = "eeg/eegmat/Subject00_1.edf";

testWithData(
  "spectrogram images of a real Math window equal the original recipe within 1 grey level",
  [EDF],
  async (bytes) => {
    const recording = await readEdf(bytesSource(bytes));
    const labels = recording.signals.map((s) => s.label);
    const { indices } = mapChannels(labels, golden.channels, { source: EDF });
    const volts = indices.map((i) => {
      const scale = voltsPerUnit(recording.signals[i].physicalDimension);
      return Float64Array.from(recording.data[i], (v) => v * scale);
    });
    const decimated = decimate(volts, 4);
    assert.equal(decimated[0].length, golden.decimated_samples);
    const start = 1024 * golden.window_index;
    const window = decimated.map((x) => x.subarray(start, start + 2048));
    let sumAbs = 0;
    for (const x of window) for (const v of x) sumAbs += Math.abs(v);
    assert.ok(Math.abs(sumAbs - golden.window_sum_abs) < 1e-6 * golden.window_sum_abs);

    const spec = logSpectrogram(window, { hop: golden.hop });
    const [c0, c1] = golden.rgb_columns as [number, number];
    for (
      const [variant, key] of [["db", "db_gz_b64"], ["db-iq", "db_iq_gz_b64"], [
        "db-polar",
        "db_polar_gz_b64",
      ]] as [SpectrogramVariant, string][]
    ) {
      const image = spectrogramImage(spec, { dbRange: golden.db_range, variant });
      const expected = await unpack(golden[key]);
      const channels = image.channels;
      const width = variant === "db" ? 256 : c1 - c0;
      const firstColumn = variant === "db" ? 0 : c0;
      let worst = 0, off = 0;
      for (let y = 0; y < 256; y++) {
        for (let x = 0; x < width; x++) {
          for (let ch = 0; ch < channels; ch++) {
            const got = image.data[(y * 256 + firstColumn + x) * channels + ch];
            const want = expected[(y * width + x) * channels + ch];
            const d = Math.abs(got - want);
            worst = Math.max(worst, d);
            if (d > 0) off++;
          }
        }
      }
      assert.ok(worst <= 1, `${variant}: worst pixel difference ${worst} grey levels`);
      // Off-by-one pixels come only from float rounding at floor() edges: keep them rare.
      assert.ok(off < 0.01 * expected.length, `${variant}: ${off} pixels differ by 1`);
    }
  },
);
