import assert from "node:assert/strict";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { listSeedDataset, SEED_CHANNELS } from "../../lib/data/adapters/seed.ts";
import { parseTable } from "../../lib/data/csv.ts";
import { matRecordingImages } from "../../lib/data/mat_recording.ts";
import { preprocessDataset, type RenderRecording } from "../../lib/data/preprocess.ts";
import { channelsToImages } from "../../lib/data/recording_images.ts";
import type { DatasetListing } from "../../lib/data/recording_ref.ts";
import { recipeParams } from "../../lib/data/spectrogram_params.ts";
import { mapChannels } from "../../lib/eeg/channel_map.ts";
import { readMat } from "../../lib/eeg/mat/mod.ts";
import { DB_BOUNDS } from "../../lib/eeg/spectrogram_image.ts";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import type { Storage } from "../../lib/io/storage.ts";
import { Rng } from "../../lib/runtime/rng.ts";

// Written by tests/data/make_seed_fixture.py: subjects 1 (djc, trials of 3400, 5000, 3400
// samples) and 2 (jl, 3400, 3400, 5000) at 200 Hz; 3400 samples -> 2125 at 125 Hz (one
// window), 5000 -> 3125 (two windows).
const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/seed/", import.meta.url).pathname;
const SEED = new FileStorage(FIXTURE);
const SESSIONS = ["1_20131027.mat", "2_20140404.mat"];
const PARAMS = recipeParams({
  twentieth: "P8",
  dbRange: [...DB_BOUNDS.seed] as [number, number],
  hopMultiple: 8,
});
const renderFrom = (files: Storage): RenderRecording => async (ref) =>
  await matRecordingImages(await files.readBytes(ref.path), ref, PARAMS, { unitScale: 1e-6 });

async function memoryCopy(names: string[]): Promise<MemoryStorage> {
  const memory = new MemoryStorage();
  for (const name of names) {
    await memory.writeBytes(name.replace(/^broken\//, ""), await SEED.readBytes(name));
  }
  return memory;
}

/** The start of a MATLAB v7.3 (HDF5) file: what the reader must refuse. */
function v73Bytes(): Uint8Array {
  const bytes = new Uint8Array(1024);
  bytes.set(new TextEncoder().encode("MATLAB 7.3 MAT-file, Platform: GLNXA64".padEnd(116)));
  bytes.set([0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x02, 0x49, 0x4d], 116);
  bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
  return bytes;
}

Deno.test("SEED montage: the recipe's 19 channels and P8 by name; T6 and P8 share SEED's P8 row", () => {
  assert.equal(SEED_CHANNELS.length, 62);
  assert.equal(new Set(SEED_CHANNELS).size, 62);
  assert.equal(PARAMS.hop, 176);
  const { indices, filled } = mapChannels(SEED_CHANNELS, PARAMS.montage);
  const names = indices.map((i) => SEED_CHANNELS[i]);
  assert.deepEqual(names, [
    ..."FP1 FP2 F3 F4 FZ F7 F8 C3 C4 CZ P3 P4 PZ O1 O2".split(" "),
    ..."T7 T8 P7 P8 P8".split(" "), // T3 T4 T5 T6 by their new names, then the 20th
  ]);
  assert.deepEqual(filled, []);
});

Deno.test("SEED adapter: one recording per trial, emotions from label.mat, gender/age from the CSV", async () => {
  const { recordings, warnings } = await listSeedDataset(SEED);
  assert.deepEqual(warnings, []);
  assert.deepEqual(recordings.map((r) => r.recording), [
    "1_20131027.mat#djc_eeg1",
    "1_20131027.mat#djc_eeg2",
    "1_20131027.mat#djc_eeg3",
    "2_20140404.mat#jl_eeg1",
    "2_20140404.mat#jl_eeg2",
    "2_20140404.mat#jl_eeg3",
  ]);
  const first = recordings[0];
  assert.equal(first.path, "1_20131027.mat");
  assert.equal(first.variable, "djc_eeg1");
  assert.equal(first.format, "mat");
  assert.equal(first.sampleRateHz, 200);
  assert.deepEqual(first.channelNames, SEED_CHANNELS);
  // label.mat: 1, 0, -1, ... for trials 1, 2, 3, ...
  const emotions = ["positive", "neutral", "negative"];
  for (const [i, ref] of recordings.entries()) {
    const subject = i < 3 ? "1" : "2";
    assert.equal(ref.subject, subject);
    assert.deepEqual(ref.labels, {
      ...(subject === "1" ? { age: 23, gender: "female" } : { age: 22, gender: "male" }),
      emotion: emotions[i % 3],
    });
  }
});

Deno.test("SEED adapter: without a participants CSV only emotions label the trials, with one warning", async () => {
  const files = await memoryCopy([...SESSIONS, "label.mat"]);
  const { recordings, warnings } = await listSeedDataset(files);
  assert.equal(recordings.length, 6);
  assert.deepEqual(recordings[4].labels, { emotion: "neutral" });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /participants\.csv.*gender and age/);
  // A subject the CSV lacks: one warning for the subject, not one per trial.
  await files.writeText("people.tsv", "subject\tage\tgender\n1\t23\tfemale\n");
  const partial = await listSeedDataset(files, { participants: "people.tsv" });
  assert.deepEqual(partial.warnings, ["subject 2 is not in people.tsv: no gender or age labels"]);
  assert.deepEqual(partial.recordings[0].labels, {
    age: 23,
    gender: "female",
    emotion: "positive",
  });
  // label.mat is required.
  await assert.rejects(() => listSeedDataset(new MemoryStorage()), /label\.mat/);
});

Deno.test("matRecordingImages: the montage rows of the trial in volts, as channelsToImages renders them", async () => {
  const bytes = await SEED.readBytes("1_20131027.mat");
  const { recordings } = await listSeedDataset(SEED);
  const ref = recordings[1]; // djc_eeg2, 62 x 5000
  const result = await matRecordingImages(bytes, ref, PARAMS, { unitScale: 1e-6 });
  assert.equal(result.sourceRateHz, 200);
  assert.equal(result.durationSeconds, 25);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.windows.map((w) => [w.index, w.startSeconds]), [[0, 0], [1, 1024 / 125]]);

  // The same windows from rows picked by hand (column-major doubles, uV -> V).
  const trial = (await readMat(bytes, { variables: ["djc_eeg2"] })).get("djc_eeg2")!;
  assert.deepEqual(trial.dims, [62, 5000]);
  const names = "FP1 FP2 F3 F4 FZ F7 F8 C3 C4 CZ P3 P4 PZ O1 O2 T7 T8 P7 P8 P8".split(" ");
  const rows = names.map((name) => {
    const r = SEED_CHANNELS.indexOf(name);
    return Float64Array.from({ length: 5000 }, (_, c) => (trial.data[r + c * 62] as number) * 1e-6);
  });
  const expected = channelsToImages(rows, 200, PARAMS);
  assert.deepEqual(result.windows, expected);
  // A different unit scale changes the images (the dB bounds assume volts).
  const uv = await matRecordingImages(bytes, ref, PARAMS, { unitScale: 1 });
  assert.notDeepEqual(uv.windows[0].png, expected[0].png);

  await assert.rejects(
    () => matRecordingImages(bytes, { ...ref, variable: "djc_eeg9" }, PARAMS, { unitScale: 1e-6 }),
    /djc_eeg9.*djc_eeg1/,
  );
  await assert.rejects(
    () => matRecordingImages(bytes, ref, PARAMS, { unitScale: 0 }),
    /unit scale/,
  );
});

async function preprocessSeed(listing: DatasetListing, files: Storage) {
  const output = new MemoryStorage();
  const summary = await preprocessDataset(listing, {
    datasetName: "seed",
    params: PARAMS,
    render: renderFrom(files),
    output,
    rng: new Rng(7),
  });
  return { summary, output };
}

Deno.test("preprocess SEED: window counts, emotion/gender/age columns, captions and one PNG per window", async () => {
  const { summary, output } = await preprocessSeed(await listSeedDataset(SEED), SEED);
  assert.deepEqual(summary.failed, []);
  assert.equal(summary.recordings, 6);
  assert.equal(summary.windows, 1 + 2 + 1 + 1 + 1 + 2);
  const meta = parseTable(await output.readText("metadata.csv"));
  assert.deepEqual(meta.columns, [
    "file_name",
    "split",
    "subject",
    "recording",
    "start_s",
    "gender",
    "age",
    "emotion",
    "caption",
  ]);
  assert.deepEqual(meta.rows.map((r) => r.file_name), [
    "images/1_20131027_djc_eeg1_w000.png",
    "images/1_20131027_djc_eeg2_w000.png",
    "images/1_20131027_djc_eeg2_w001.png",
    "images/1_20131027_djc_eeg3_w000.png",
    "images/2_20140404_jl_eeg1_w000.png",
    "images/2_20140404_jl_eeg2_w000.png",
    "images/2_20140404_jl_eeg3_w000.png",
    "images/2_20140404_jl_eeg3_w001.png",
  ]);
  const row = meta.rows.find((r) => r.file_name === "images/2_20140404_jl_eeg3_w001.png")!;
  assert.equal(row.recording, "2_20140404.mat#jl_eeg3");
  assert.equal(row.subject, "2");
  assert.equal(row.start_s, String(1024 / 125));
  assert.equal(row.emotion, "negative");
  assert.equal(row.caption, "a spectrogram image of a 22 year old, male subject feeling negative");
  for (const r of meta.rows) {
    assert.match(r.caption, /feeling (positive|neutral|negative)$/);
    const png = await output.readBytes(r.file_name);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  }
  assert.equal((await output.list("images")).length, 8);
});

Deno.test("preprocess SEED: a session missing a trial and a v7.3 file are reported as failed", async () => {
  const files = await memoryCopy([...SESSIONS, "label.mat", "participants.csv"]);
  await files.writeBytes("3_20140101.mat", await SEED.readBytes("broken/3_20140101.mat"));
  await files.writeBytes("4_20140505.mat", v73Bytes());
  const listing = await listSeedDataset(files);
  assert.deepEqual(
    listing.recordings.slice(6).map((r) => r.recording),
    [
      "3_20140101.mat#ab_eeg1",
      "3_20140101.mat#ab_eeg2",
      "3_20140101.mat#ab_eeg3",
      "4_20140505.mat",
    ],
  );
  assert.deepEqual(listing.warnings, [
    "subject 3 is not in participants.csv: no gender or age labels",
    "subject 4 is not in participants.csv: no gender or age labels",
  ]);
  const { summary } = await preprocessSeed(listing, files);
  assert.equal(summary.windows, 8);
  assert.deepEqual(summary.failed.map((f) => f.recording), ["3_20140101.mat", "4_20140505.mat"]);
  assert.match(summary.failed[0].message, /"ab_eeg3".*"ab_eeg1", "ab_eeg2"/);
  assert.match(summary.failed[1].message, /v7\.3/);
  // Its two short trials (100 samples) render no window, and say so.
  assert.equal(
    summary.warnings.filter((w) => /^3_20140101\.mat#ab_eeg[12]: shorter/.test(w)).length,
    2,
  );
});

async function runPreprocess(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "preprocess", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test({
  name: "deno task preprocess --config config/data/seed.toml: images and metadata, failures listed",
  sanitizeResources: false,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "seed_root_" });
    const out = await Deno.makeTempDir({ prefix: "seed_out_" });
    try {
      for (const name of [...SESSIONS, "label.mat", "participants.csv"]) {
        await Deno.copyFile(`${FIXTURE}${name}`, `${root}/${name}`);
      }
      const clean = await runPreprocess([
        "--config",
        "config/data/seed.toml",
        "--set",
        `dataset.root=${root}`,
        "--out",
        out,
      ]);
      assert.equal(clean.code, 0, clean.stderr);
      assert.match(clean.stdout, /6 recordings -> 8 windows/);
      const meta = parseTable(await Deno.readTextFile(`${out}/metadata.csv`));
      assert.equal(meta.rows.length, 8);
      assert.ok(meta.rows.every((r) => r.emotion !== "" && r.gender !== "" && r.age !== ""));
      // The worker renders from an extract of the trial's element: the same images.
      const { recordings } = await listSeedDataset(SEED);
      const direct = await matRecordingImages(
        await SEED.readBytes("1_20131027.mat"),
        recordings[1],
        PARAMS,
        { unitScale: 1e-6 },
      );
      assert.deepEqual(
        await Deno.readFile(`${out}/images/1_20131027_djc_eeg2_w001.png`),
        direct.windows[1].png,
      );

      // Broken files next to the good ones: listed as failed, the run still succeeds.
      await Deno.copyFile(`${FIXTURE}broken/3_20140101.mat`, `${root}/3_20140101.mat`);
      await Deno.writeFile(`${root}/4_20140505.mat`, v73Bytes());
      const broken = await runPreprocess([
        "--config",
        "config/data/seed.toml",
        "--set",
        `dataset.root=${root}`,
        "--out",
        out,
      ]);
      assert.equal(broken.code, 0, broken.stderr);
      assert.match(broken.stderr, /FAILED 3_20140101\.mat: .*"ab_eeg3"/);
      assert.match(broken.stderr, /FAILED 4_20140505\.mat: .*v7\.3/);
      assert.match(broken.stderr, /2 recording\(s\) failed/);
      assert.match(broken.stdout, /\(6 reused from an earlier run\)/);
    } finally {
      await Deno.remove(root, { recursive: true });
      await Deno.remove(out, { recursive: true });
    }
  },
});
