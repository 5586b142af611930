import assert from "node:assert/strict";
import { READ_WRITE, runCli } from "../_support/cli.ts";
import { buildMetaDataset, type SourceDataset, spreadCopies } from "../../lib/data/meta_dataset.ts";
import { META_DATASET_SCHEMA } from "../../lib/data/meta_dataset_schema.ts";
import { writeMetaDataset } from "../../lib/data/write_meta_dataset.ts";
import { weightsPlot } from "../../lib/data/weights_plot.ts";
import { parseTable } from "../../lib/data/csv.ts";
import { resolveConfig } from "../../lib/config/mod.ts";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import type { Storage } from "../../lib/io/storage.ts";
import { listMathDataset } from "../../lib/data/adapters/math.ts";
import { listParkinsonsDataset } from "../../lib/data/adapters/parkinsons.ts";
import { preprocessDataset } from "../../lib/data/preprocess.ts";
import { recordingImages } from "../../lib/data/recording_images.ts";
import { recipeParams } from "../../lib/data/spectrogram_params.ts";
import { bytesSource } from "../../lib/eeg/edf/byte_source.ts";
import { DB_BOUNDS } from "../../lib/eeg/spectrogram_image.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { memoryCopy, sharedEeg } from "./_dataset_support.ts";

function rows(split: string, gender: string, count: number, prefix: string) {
  return Array.from({ length: count }, (_, i) => ({
    file_name: `images/${prefix}${String(i).padStart(2, "0")}.png`,
    split,
    subject: `${prefix}${i % 3}`,
    gender,
  }));
}

/** alpha: many women, few men, one row without gender; beta: women only, train only. */
const ALPHA: SourceDataset = {
  name: "alpha",
  rows: [
    ...rows("train", "female", 9, "af"),
    ...rows("train", "male", 2, "am"),
    ...rows("test", "female", 4, "tf"),
    ...rows("test", "male", 3, "tm"),
    { file_name: "images/tx.png", split: "test", subject: "x", gender: "" },
  ],
};
const BETA: SourceDataset = { name: "beta", rows: rows("train", "female", 5, "bf") };

Deno.test("meta-dataset: listing the datasets in reverse gives identical output", async () => {
  assert.deepEqual(buildMetaDataset([BETA, ALPHA]), buildMetaDataset([ALPHA, BETA]));
  // Shuffled rows within a dataset change nothing either (cells are sorted by file_name).
  const shuffled = { ...ALPHA, rows: [...ALPHA.rows].reverse() };
  assert.deepEqual(buildMetaDataset([shuffled, BETA]).rows, buildMetaDataset([ALPHA, BETA]).rows);

  const written = async (order: SourceDataset[]) => {
    const output = new MemoryStorage();
    const sources = [];
    for (const source of order) {
      const storage = new MemoryStorage();
      const header = "file_name,split,subject,gender\n";
      await storage.writeText(
        "metadata.csv",
        header + source.rows.map((r) => `${r.file_name},${r.split},${r.subject},${r.gender}`)
          .join("\n"),
      );
      for (const r of source.rows) await storage.writeBytes(r.file_name, new Uint8Array([1, 2]));
      sources.push({ name: source.name, storage });
    }
    await writeMetaDataset(sources, { output });
    const files: Record<string, string> = {};
    for (const name of await output.list("")) {
      if (name.includes(".")) files[name] = await output.readText(name);
    }
    return {
      files,
      images: [...await output.list("images/alpha"), ...await output.list("images/beta")],
    };
  };
  const forward = await written([ALPHA, BETA]);
  assert.deepEqual(await written([BETA, ALPHA]), forward);
  assert.deepEqual(Object.keys(forward.files).sort(), [
    "README.md",
    "metadata.csv",
    "test-metadata.csv",
    "train-metadata.csv",
    "weights.json",
    "weights.svg",
  ]);
});

Deno.test("meta-dataset: the minority cell gets the larger weight; weighted totals are equal", () => {
  const meta = buildMetaDataset([ALPHA, BETA]);
  assert.deepEqual(meta.splits.map((s) => s.split), ["train", "test"]);
  const train = meta.splits[0];
  assert.deepEqual(
    train.cells.map((c) => [c.label, c.rows, c.numerator, c.denominator]),
    [["female / alpha", 9, 16, 27], ["female / beta", 5, 16, 15], ["male / alpha", 2, 16, 6]],
  );
  // The rows without a gender form their own cell.
  assert.deepEqual(meta.splits[1].cells.map((c) => c.label), [
    "(none) / alpha",
    "female / alpha",
    "male / alpha",
  ]);
  for (const split of meta.splits) {
    const cells = split.cells;
    for (const a of cells) {
      for (const b of cells) {
        if (a.rows < b.rows) assert.ok(a.weight > b.weight, `${a.label} vs ${b.label}`);
      }
      // n * w = N / C exactly; the copies fall short by less than one row.
      const target = split.rowsBefore / cells.length;
      assert.ok(Math.abs(a.rows * a.weight - target) < 1e-9);
      assert.ok(
        a.copies <= target && target - a.copies < 1,
        `${a.label}: ${a.copies} vs ${target}`,
      );
      // The written rows agree with the reported copies.
      const written = meta.rows.filter((r) =>
        r.split === split.split && r.dataset === a.key.dataset && r.gender === a.key.gender
      );
      assert.equal(written.length, a.copies);
    }
    assert.equal(meta.rows.filter((r) => r.split === split.split).length, split.rowsAfter);
  }
});

Deno.test("meta-dataset: the copy rule is floor(w) copies plus the fraction spread evenly", () => {
  assert.deepEqual(spreadCopies(4, 7, 4), [1, 2, 2, 2]); // w = 1.75: 7 rows
  assert.deepEqual(spreadCopies(5, 2, 5), [0, 0, 1, 0, 1]); // w = 0.4: 2 rows
  assert.deepEqual(spreadCopies(3, 6, 3), [2, 2, 2]); // integer weight: no extra copy
  assert.deepEqual(spreadCopies(6, 3, 6), [0, 1, 0, 1, 0, 1]); // w = 0.5: every other row
  // A hand example through the whole builder: 3 women and 1 man, balanced by gender.
  // N = 4, C = 2. Women: w = 4 / 6, q = 0, r = 4, D = 6: extra copy for k = 1 and 2.
  // Man: w = 4 / 2 = 2: written twice. Each gender then carries 2 rows.
  const meta = buildMetaDataset([{
    name: "d",
    rows: [
      { file_name: "images/f2.png", split: "train", gender: "female" },
      { file_name: "images/m0.png", split: "train", gender: "male" },
      { file_name: "images/f0.png", split: "train", gender: "female" },
      { file_name: "images/f1.png", split: "train", gender: "female" },
    ],
  }], { balance: ["gender"] });
  assert.deepEqual(meta.rows.map((r) => r.file_name), [
    "images/d/f1.png",
    "images/d/f2.png",
    "images/d/m0.png",
    "images/d/m0.png",
  ]);
  assert.deepEqual(meta.files.map((f) => f.from), [
    "images/f1.png",
    "images/f2.png",
    "images/m0.png",
  ]);
  assert.deepEqual(meta.columns, [
    "file_name",
    "split",
    "subject",
    "recording",
    "start_s",
    "dataset",
    "gender",
  ]);
});

Deno.test("meta-dataset: bad sources are errors that say what is wrong", async () => {
  assert.throws(() => buildMetaDataset([ALPHA, { ...BETA, name: "alpha" }]), /names must differ/);
  assert.throws(() => buildMetaDataset([{ ...BETA, name: "../x" }]), /must be letters/);
  assert.throws(
    () => buildMetaDataset([ALPHA], { balance: ["emotion"] }),
    /"emotion" as no source/,
  );
  assert.throws(() => buildMetaDataset([]), /at least one source/);
  const empty = new MemoryStorage();
  await assert.rejects(
    writeMetaDataset([{ name: "e", storage: empty }], { output: new MemoryStorage() }),
    /Cannot read dataset "e" in memory as it must hold a metadata.csv/,
  );
});

Deno.test("meta-dataset: the weights plot and the preset config", async () => {
  const svg = weightsPlot(buildMetaDataset([ALPHA, BETA]).splits);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 6);
  assert.match(svg, /male \/ alpha<\/text>/);
  const text = await Deno.readTextFile(
    new URL("../../config/data/meta-math-parkinsons.toml", import.meta.url),
  );
  const config = resolveConfig(META_DATASET_SCHEMA, { files: [{ source: "preset", text }] });
  assert.deepEqual(config.data.names, ["math", "parkinsons"]);
  assert.deepEqual(config.data.balance, ["gender", "dataset"]);
  assert.throws(
    () => resolveConfig(META_DATASET_SCHEMA, { sets: ['data.balance=["age"]'] }),
    /balance/,
  );
});

// --- The CLI end to end on two small real datasets ------------------------------------

function metaCli(args: string[]) {
  return runCli(["meta-dataset", ...args], READ_WRITE);
}

function paramsFor(dataset: "math" | "parkinsons") {
  return dataset === "math"
    ? recipeParams({ twentieth: "A2-A1", dbRange: [...DB_BOUNDS.math] as [number, number] })
    : recipeParams({
      twentieth: "TP10",
      dbRange: [...DB_BOUNDS.parkinsons] as [number, number],
      missingChannels: "zeros",
    });
}

async function preprocessInto(dir: string, dataset: "math" | "parkinsons", files: Storage) {
  const params = paramsFor(dataset);
  const listing = dataset === "math"
    ? await listMathDataset(files)
    : await listParkinsonsDataset(files);
  await preprocessDataset(listing, {
    datasetName: dataset,
    params,
    output: new FileStorage(dir),
    rng: new Rng(3),
    splitNames: ["train", "test"],
    splitFractions: [0.5, 0.5],
    stratifyBy: "gender",
    render: async (ref) =>
      await recordingImages(bytesSource(await files.readBytes(ref.path)), params, {
        source: ref.path,
      }),
  });
}

Deno.test("meta-dataset CLI: Math + Parkinsons end to end, the same output in either order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Two women (Subject00, 01) and two men (Subject06, 08), stratified by gender.
    const math = await memoryCopy(sharedEeg("eegmat"), [
      "subject-info.csv",
      "Subject00_1.edf",
      "Subject00_2.edf",
      "Subject01_2.edf",
      "Subject06_2.edf",
      "Subject08_2.edf",
    ]);
    await preprocessInto(`${dir}/math`, "math", math);
    await preprocessInto(`${dir}/park`, "parkinsons", sharedEeg("parkinsons_ds002778"));
    const run = async (roots: string[], out: string) => {
      await Deno.writeTextFile(`${dir}/${out}.toml`, `[data]\nroots = ${JSON.stringify(roots)}\n`);
      const result = await metaCli(["--config", `${dir}/${out}.toml`, "--out", `${dir}/${out}`]);
      assert.equal(result.code, 0, result.stderr);
      return new FileStorage(`${dir}/${out}`);
    };
    const forward = await run([`${dir}/math`, `${dir}/park`], "forward");
    const reverse = await run([`${dir}/park`, `${dir}/math`], "reverse");
    const texts = [
      "metadata.csv",
      "train-metadata.csv",
      "test-metadata.csv",
      "weights.json",
      "weights.svg",
      "README.md",
    ];
    for (const name of texts) {
      assert.equal(await reverse.readText(name), await forward.readText(name), name);
    }

    const meta = parseTable(await forward.readText("metadata.csv"));
    assert.deepEqual(meta.columns.slice(0, 6), [
      "file_name",
      "split",
      "subject",
      "recording",
      "start_s",
      "dataset",
    ]);
    const weights = JSON.parse(await forward.readText("weights.json"));
    for (const split of weights.splits) {
      const target = split.rowsBefore / split.cells.length;
      for (const cell of split.cells) {
        const written = meta.rows.filter((r) =>
          r.split === split.split && r.dataset === cell.key.dataset &&
          r.gender === cell.key.gender
        );
        assert.equal(written.length, cell.copies, cell.label);
        assert.ok(cell.copies <= target && target - cell.copies < 1, cell.label);
      }
      const part = parseTable(await forward.readText(`${split.split}-metadata.csv`));
      assert.equal(part.rows.length, split.rowsAfter);
    }
    // The minority cell gets the larger weight (Subject00's rest recording makes one cell big).
    const cells = weights.splits.flatMap((s: { cells: unknown[] }) => s.cells);
    assert.ok(new Set(cells.map((c: { rows: number }) => c.rows)).size > 1);
    for (const split of weights.splits) {
      for (const a of split.cells) {
        for (const b of split.cells) if (a.rows < b.rows) assert.ok(a.weight > b.weight);
      }
    }
    // Every referenced image is a byte copy of the source's.
    const sources = { math: new FileStorage(`${dir}/math`), park: new FileStorage(`${dir}/park`) };
    for (const name of new Set(meta.rows.map((r) => r.file_name))) {
      const [, dataset, file] = name.split("/");
      assert.deepEqual(
        await forward.readBytes(name),
        await sources[dataset as "math" | "park"].readBytes(`images/${file}`),
      );
    }
    assert.match(await forward.readText("README.md"), /\| cell \| rows before \| weight \|/);

    // Bad roots: exit 2 and one line that names the folder.
    await Deno.mkdir(`${dir}/empty`);
    for (
      const [root, why] of [[`${dir}/nope`, "does not exist"], [`${dir}/empty`, "no metadata"]]
    ) {
      const result = await metaCli([
        "--set",
        `data.roots=["${dir}/math", "${root}"]`,
        "--out",
        `${dir}/bad`,
      ]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.ok(result.stderr.includes(root) && result.stderr.includes(why), result.stderr);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
