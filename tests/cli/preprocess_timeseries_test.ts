import assert from "node:assert/strict";
import { READ_WRITE, runCli } from "../_support/cli.ts";
import { parseTable } from "../../lib/data/csv.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const EEGMAT = new URL("../../../shared/data/eeg/eegmat/", import.meta.url).pathname;
const SUBJECTS = ["Subject00", "Subject01"];

/** `deno task preprocess` with the task's permissions (deno.json). */
function preprocess(args: string[]) {
  return runCli(["preprocess", ...args], READ_WRITE);
}

Deno.test("preprocess --config math-timeseries.toml: two real Math subjects -> z-scored .f32 windows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preprocess_timeseries_" });
  try {
    const root = `${dir}/raw`, out = `${dir}/out`;
    await Deno.mkdir(root);
    for (const subject of SUBJECTS) {
      for (const state of [1, 2]) {
        await Deno.copyFile(`${EEGMAT}${subject}_${state}.edf`, `${root}/${subject}_${state}.edf`);
      }
    }
    const info = (await Deno.readTextFile(`${EEGMAT}subject-info.csv`)).trim().split("\n");
    await Deno.writeTextFile(
      `${root}/subject-info.csv`,
      [info[0], ...info.slice(1).filter((l) => SUBJECTS.some((s) => l.startsWith(`${s},`)))]
        .join("\n") + "\n",
    );

    const result = await preprocess([
      "--config",
      `${ROOT}config/data/math-timeseries.toml`,
      "--set",
      `dataset.root=${root}`,
      "--set",
      'split.names=["train","test"]',
      "--set",
      "split.fractions=[0.5,0.5]",
      "--out",
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /4 recordings -> \d+ windows/);

    const metadata = parseTable(await Deno.readTextFile(`${out}/metadata.csv`));
    assert.ok(metadata.rows.length > 0);
    const files = [];
    for await (const entry of Deno.readDir(`${out}/windows`)) files.push(entry.name);
    assert.equal(files.length, metadata.rows.length);
    for (const name of files) {
      assert.match(name, /^Subject0[01]_[12]_w\d{3}\.f32$/);
      assert.equal((await Deno.stat(`${out}/windows/${name}`)).size, 20 * 2048 * 4, name);
    }
    assert.deepEqual(
      new Set(metadata.rows.map((r) => r.file_name)),
      new Set(files.map((f) => `windows/${f}`)),
    );
    assert.deepEqual(new Set(metadata.rows.map((r) => r.subject)), new Set(SUBJECTS));
    assert.deepEqual(new Set(metadata.rows.map((r) => r.split)), new Set(["train", "test"]));
    // Recordings of ~60-180 s at 125 Hz: a window every 1024 samples (8.192 s).
    const perRecording = new Map<string, number>();
    for (const r of metadata.rows) {
      const recording = r.recording;
      perRecording.set(recording, (perRecording.get(recording) ?? 0) + 1);
    }
    assert.equal(perRecording.size, 4);

    const normalization = JSON.parse(await Deno.readTextFile(`${out}/normalization.json`));
    assert.equal(normalization.channels.length, 20);
    assert.equal(normalization.mean.length, 20);
    assert.equal(normalization.std.length, 20);
    assert.equal(normalization.split, "train");
    assert.deepEqual(normalization.layout.shape, [20, 2048]);
    assert.equal(normalization.sampleRateHz, 125);
    for (const s of normalization.std) assert.ok(s > 0 && s < 1e-2, `std ${s} V`);
    const trainRows = metadata.rows.filter((r) => r.split === "train").length;
    assert.equal(normalization.windows, trainRows);

    // The train split's windows are z-scored with train statistics: mean ~0, std ~1.
    let sum = 0, sumSq = 0, n = 0;
    for (const r of metadata.rows.filter((r) => r.split === "train")) {
      const bytes = await Deno.readFile(`${out}/${r.file_name}`);
      const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      for (const v of values) (sum += v, sumSq += v * v, n++);
    }
    assert.ok(Math.abs(sum / n) < 1e-3, `mean ${sum / n}`);
    assert.ok(Math.abs(sumSq / n - 1) < 1e-2, `second moment ${sumSq / n}`);
    await Deno.stat(`${out}/README.md`);
    await assert.rejects(Deno.stat(`${out}/images`), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(`${out}/.staging`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
