import assert from "node:assert/strict";
import { listMathDataset } from "../../lib/data/adapters/math.ts";
import { listParkinsonsDataset } from "../../lib/data/adapters/parkinsons.ts";
import { parseTable } from "../../lib/data/csv.ts";
import { preprocessDataset, type RenderRecording } from "../../lib/data/preprocess.ts";
import { recordingImages } from "../../lib/data/recording_images.ts";
import { recipeParams, windowCount } from "../../lib/data/spectrogram_params.ts";
import { bytesSource } from "../../lib/eeg/edf/byte_source.ts";
import { parseEdfHeader } from "../../lib/eeg/edf/parse_edf_header.ts";
import { DB_BOUNDS } from "../../lib/eeg/spectrogram_image.ts";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import type { Storage } from "../../lib/io/storage.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { memoryCopy, sharedEeg } from "./_dataset_support.ts";

const MATH = sharedEeg("eegmat");
const PARAMS = recipeParams({
  twentieth: "A2-A1",
  dbRange: [...DB_BOUNDS.math] as [number, number],
});
const renderFrom = (files: Storage): RenderRecording => async (ref) =>
  await recordingImages(bytesSource(await files.readBytes(ref.path)), PARAMS, { source: ref.path });

Deno.test("Math adapter: 32 recordings, labels joined by subject id from subject-info.csv", async () => {
  const { recordings, warnings } = await listMathDataset(MATH);
  assert.equal(recordings.length, 32);
  assert.deepEqual(warnings, []);
  const info = parseTable(await MATH.readText("subject-info.csv"));
  for (const ref of recordings) {
    const row = info.rows.find((r) => r.Subject === ref.subject)!;
    assert.equal(ref.labels.age, Number(row.Age));
    assert.equal(ref.labels.gender, row.Gender === "F" ? "female" : "male");
    assert.equal(ref.labels.count_quality, row["Count quality"] === "1" ? "good" : "bad");
    assert.equal(ref.labels.task_state, ref.path.endsWith("_1.edf") ? "rest" : "arithmetic");
  }
});

Deno.test("Math adapter: window counts per recording follow the recipe (floor((n-2048)/1024)+1 at 125 Hz)", async () => {
  const { recordings } = await listMathDataset(MATH);
  let total = 0;
  for (const ref of recordings) {
    const header = parseEdfHeader(await MATH.readBytes(ref.path));
    const eeg = header.signals.find((s) => s.label === "EEG Fp1")!;
    const samples125 = Math.ceil((header.recordCount * eeg.samplesPerRecord) / 4); // decimate q=4
    total += windowCount(samples125, PARAMS);
    if (ref.path === "Subject00_1.edf") assert.equal(windowCount(samples125, PARAMS), 21);
  }
  assert.equal(total, 430);
});

Deno.test("Parkinsons adapter reads the BIDS folder and labels it from participants.tsv", async () => {
  const { recordings } = await listParkinsonsDataset(sharedEeg("parkinsons_ds002778"));
  assert.equal(recordings.length, 1);
  const [ref] = recordings;
  assert.equal(ref.subject, "sub-pd6");
  assert.equal(ref.path, "sub-pd6/ses-off/eeg/sub-pd6_ses-off_task-rest_eeg.edf");
  assert.deepEqual(ref.labels, {
    health: "parkinsons",
    medication: "off",
    age: 62,
    gender: "female",
  });
});

Deno.test("preprocess: rows, splits without shared subjects, byte-identical reruns, corrupt file skipped", async () => {
  const names = [
    "subject-info.csv",
    "Subject00_1.edf",
    "Subject00_2.edf",
    "Subject01_2.edf",
    "Subject02_2.edf",
  ];
  const input = await memoryCopy(MATH, names);
  // A truncated copy: reported and skipped, never silently.
  const broken = (await input.readBytes("Subject02_2.edf")).slice(0, 5000);
  await input.writeBytes("Subject03_2.edf", broken);
  const listing = await listMathDataset(input);
  const output = new MemoryStorage();
  const events: number[] = [];
  const options = {
    datasetName: "math",
    params: PARAMS,
    render: renderFrom(input),
    output,
    rng: new Rng(7),
    onProgress: (e: { done: number }) => events.push(e.done),
  };
  const summary = await preprocessDataset(listing, options);
  assert.equal(summary.recordings, 4);
  assert.equal(summary.windows, 21 + 6 + 6 + 6);
  assert.equal(summary.failed.length, 1);
  assert.equal(summary.failed[0].recording, "Subject03_2.edf");
  assert.match(summary.failed[0].message, /byte/);
  assert.deepEqual(events.at(-1), 5);

  const metadataText = await output.readText("metadata.csv");
  const meta = parseTable(metadataText);
  assert.deepEqual(meta.columns, [
    "file_name",
    "split",
    "subject",
    "recording",
    "start_s",
    "gender",
    "age",
    "task_state",
    "count_quality",
    "caption",
  ]);
  const splitOf = new Map<string, string>();
  for (const row of meta.rows) {
    assert.equal(splitOf.get(row.subject) ?? row.split, row.split, `${row.subject} in two splits`);
    splitOf.set(row.subject, row.split);
  }
  const first = meta.rows.find((r) => r.file_name === "images/Subject00_1_w003.png")!;
  assert.equal(first.start_s, String((3 * 1024) / 125));
  assert.equal(first.caption, "a spectrogram image of a 21 year old, female subject at rest");
  for (const split of ["train", "val", "test"]) {
    const part = parseTable(await output.readText(`${split}-metadata.csv`));
    assert.ok(part.rows.every((r) => r.split === split));
  }
  assert.match(await output.readText("README.md"), /Subject03_2\.edf: /);

  // Second run: everything reused; with overwrite: the same bytes again.
  const png = await output.readBytes("images/Subject01_2_w002.png");
  const again = await preprocessDataset(listing, options);
  assert.equal(again.skipped, 4);
  const redo = await preprocessDataset(listing, { ...options, overwrite: true });
  assert.equal(redo.skipped, 0);
  assert.deepEqual(await output.readBytes("images/Subject01_2_w002.png"), png);
  assert.equal(await output.readText("metadata.csv"), metadataText);
});
