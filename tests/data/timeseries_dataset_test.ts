import assert from "node:assert/strict";
import { listMathDataset } from "../../lib/data/adapters/math.ts";
import { parseTable } from "../../lib/data/csv.ts";
import { preprocessDataset } from "../../lib/data/preprocess.ts";
import { recordingImages, recordingSignal } from "../../lib/data/recording_images.ts";
import { recipeParams, windowCount } from "../../lib/data/spectrogram_params.ts";
import { type Normalization, timeseriesDataset } from "../../lib/data/timeseries_dataset.ts";
import { ChannelStats, decodeWindow, encodeWindow } from "../../lib/data/timeseries_window.ts";
import { bytesSource } from "../../lib/eeg/edf/byte_source.ts";
import { DB_BOUNDS } from "../../lib/eeg/spectrogram_image.ts";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { memoryCopy, sharedEeg } from "./_dataset_support.ts";

const PARAMS = recipeParams({
  twentieth: "A2-A1",
  dbRange: [...DB_BOUNDS.math] as [number, number],
});
const C = 20, L = 2048;

Deno.test("ChannelStats merges windows exactly; encode/decode is little-endian float32", () => {
  const stats = new ChannelStats(2);
  const a = [Float32Array.of(1, 2, 3), Float32Array.of(-1, 0, 10)];
  const b = [Float32Array.of(7, 8, 9), Float32Array.of(4, 4, 4)];
  stats.add(a);
  stats.add(b);
  const all = [[1, 2, 3, 7, 8, 9], [-1, 0, 10, 4, 4, 4]];
  all.forEach((xs, c) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    assert.ok(Math.abs(stats.mean[c] - mean) < 1e-12);
    assert.ok(Math.abs(stats.std()[c] - std) < 1e-12);
  });
  const bytes = encodeWindow([Float32Array.of(1.5)], [0.5], [2]);
  assert.deepEqual([...bytes], [0, 0, 0, 0x3f]); // 0.5f little-endian
  assert.deepEqual([...decodeWindow(bytes, 1)], [0.5]);
  assert.throws(() => decodeWindow(new Uint8Array(6), 1), /multiple of 4/);
});

Deno.test("time-series dataset: two Math recordings, train-only statistics, z-scored windows", async () => {
  const names = ["subject-info.csv", "Subject00_2.edf", "Subject06_2.edf"];
  const files = await memoryCopy(sharedEeg("eegmat"), names);
  const listing = await listMathDataset(files);
  const signals = new Map<string, Float32Array[]>();
  for (const ref of listing.recordings) {
    const read = await recordingSignal(bytesSource(await files.readBytes(ref.path)), PARAMS, {
      source: ref.path,
    });
    signals.set(ref.recording, read.signal);
  }
  const split = { splitNames: ["train", "test"], splitFractions: [0.5, 0.5] };
  const output = new MemoryStorage();
  const summary = await timeseriesDataset(listing, {
    datasetName: "math",
    params: PARAMS,
    output,
    rng: new Rng(5),
    ...split,
    load: (ref) =>
      Promise.resolve({ signal: signals.get(ref.recording)!, warnings: [], durationSeconds: 0 }),
  });
  assert.deepEqual(summary.failed, []);
  const expected = [...signals.values()].reduce((n, s) => n + windowCount(s[0].length, PARAMS), 0);
  assert.equal(summary.windows, expected);
  assert.equal(await output.exists(".staging"), false);

  // The same metadata as the image dataset (same seed and split options), bar the file names.
  const images = new MemoryStorage();
  await preprocessDataset(listing, {
    datasetName: "math",
    params: PARAMS,
    output: images,
    rng: new Rng(5),
    ...split,
    render: async (ref) =>
      await recordingImages(bytesSource(await files.readBytes(ref.path)), PARAMS, {
        source: ref.path,
      }),
  });
  const meta = parseTable(await output.readText("metadata.csv"));
  const imageMeta = parseTable(await images.readText("metadata.csv"));
  assert.deepEqual(meta.columns, imageMeta.columns);
  assert.deepEqual(
    meta.rows.map((r) => ({ ...r, file_name: r.file_name.replace(/^windows\/(.*)\.f32$/, "$1") })),
    imageMeta.rows.map((r) => ({
      ...r,
      file_name: r.file_name.replace(/^images\/(.*)\.png$/, "$1"),
    })),
  );
  const splits = new Set(meta.rows.map((r) => r.split));
  assert.deepEqual([...splits].sort(), ["test", "train"]);

  // Statistics: every window of the train split, nothing from test (computed here directly).
  const norm = JSON.parse(await output.readText("normalization.json")) as Normalization;
  assert.deepEqual(norm.channels, PARAMS.montage);
  const windowOf = (row: Record<string, string>) => {
    const signal = signals.get(row.recording)!;
    const start = Math.round(Number(row.start_s) * PARAMS.sampleRateHz);
    return signal.map((x) => x.subarray(start, start + L));
  };
  const train = meta.rows.filter((r) => r.split === "train");
  assert.equal(norm.windows, train.length);
  for (let c = 0; c < C; c++) {
    let sum = 0, squares = 0;
    for (const row of train) for (const x of windowOf(row)[c]) sum += x;
    const mean = sum / (train.length * L);
    for (const row of train) for (const x of windowOf(row)[c]) squares += (x - mean) ** 2;
    const std = Math.sqrt(squares / (train.length * L));
    assert.ok(Math.abs(norm.mean[c] - mean) <= 1e-9 * std, `mean of ${norm.channels[c]}`);
    assert.ok(Math.abs(norm.std[c] / std - 1) < 1e-9, `std of ${norm.channels[c]}`);
  }
  // Including the test windows would change them: the split matters.
  const everything = new ChannelStats(C);
  for (const row of meta.rows) everything.add(windowOf(row));
  assert.ok(Math.abs(everything.std()[0] / norm.std[0] - 1) > 1e-3);

  // Every stored window has the right shape and z-scores back to the resampled signal.
  for (const row of meta.rows) {
    const bytes = await output.readBytes(row.file_name);
    assert.equal(bytes.length, C * L * 4);
    const z = decodeWindow(bytes, C), x = windowOf(row);
    let maxError = 0;
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < L; t++) {
        const error = Math.abs(z[c * L + t] * norm.std[c] + norm.mean[c] - x[c][t]);
        maxError = Math.max(maxError, error / norm.std[c]);
      }
    }
    assert.ok(maxError < 1e-5, `${row.file_name}: ${maxError}`);
  }
  // Train windows are z-scored: mean 0 and std 1 per channel over the train split.
  const check = new ChannelStats(C);
  for (const row of train) {
    const z = decodeWindow(await output.readBytes(row.file_name), C);
    check.add(Array.from({ length: C }, (_, c) => z.subarray(c * L, (c + 1) * L)));
  }
  for (let c = 0; c < C; c++) {
    assert.ok(Math.abs(check.mean[c]) < 1e-5 && Math.abs(check.std()[c] - 1) < 1e-5);
  }
  assert.match(await output.readText("README.md"), /from the train split only/);
});
