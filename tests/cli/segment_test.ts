/**
 * Segmentation through the CLI as users run it: `deno task train` with a segmentation
 * preset (mitochondria, then a glomeruli transfer run that copies its encoder and tests on
 * a held-out subject's whole fields), and `deno task segment` with ground-truth masks.
 * Tiny models and a few real images from ../shared/data, so this checks plumbing and
 * files, not accuracy (the README reports accuracy from full runs).
 */
import assert from "node:assert/strict";
import { READ_WRITE, runCli } from "../_support/cli.ts";

const SEG = new URL("../../../shared/data/seg/", import.meta.url).pathname;

function cli(args: string[]) {
  return runCli(args, READ_WRITE);
}

/** A folder of symlinks to a few glomeruli images and masks (2 of T19, 1 of T20). */
async function glomeruliSubset(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/images`, { recursive: true });
  await Deno.mkdir(`${dir}/masks`, { recursive: true });
  for (const stem of ["T19_Image0", "T19_Image1", "T20_Image0"]) {
    await Deno.symlink(`${SEG}glomeruli/images/${stem}.jpg`, `${dir}/images/${stem}.jpg`);
    await Deno.symlink(`${SEG}glomeruli/masks/${stem}_mask.jpg`, `${dir}/masks/${stem}_mask.jpg`);
  }
}

Deno.test("train (mito, then glomeruli transfer) and segment write complete outputs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const mito = `${dir}/mito`;
    const trained = await cli([
      "train",
      "--config",
      "config/segmentation/smoke.toml",
      "--backend",
      "wasm",
      "--out",
      mito,
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, /validation \(best step \d+\): Dice [\d.]+ on \d+ crops/);
    const info = JSON.parse(await Deno.readTextFile(`${mito}/run.json`));
    assert.equal(info.kind, "segmentation");
    assert.equal(info.splits.train.length + info.splits.val.length, 15);
    assert.deepEqual(info.inputNormalization.mean, [0.485, 0.456, 0.406]);
    const summary = JSON.parse(await Deno.readTextFile(`${mito}/summary.json`));
    assert.equal(summary.steps, 2);
    assert.ok(summary.best.tasks.mask.dice >= 0 && summary.best.tasks.mask.dice <= 1);
    // --resume reads the saved segmentation config; a finished run stays finished.
    const resumed = await cli(["train", "--resume", mito]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(JSON.parse(await Deno.readTextFile(`${mito}/summary.json`)).steps, 2);

    // Transfer: 1-channel EM encoder into a 3-channel histology model, frozen for a step.
    const data = `${dir}/glomeruli`;
    await glomeruliSubset(data);
    const transfer = `${dir}/transfer`;
    const moved = await cli([
      "train",
      "--config",
      "config/segmentation/smoke.toml",
      "--set",
      `data.images=${data}/images`,
      "--set",
      `data.masks=${data}/masks`,
      "--set",
      'data.mask_suffix="_mask"',
      "--set",
      "data.channels=3",
      "--set",
      'data.test_subjects=["T20"]',
      "--set",
      `model.encoder_from=${mito}`,
      "--set",
      "train.freeze_encoder_steps=1",
      "--set",
      "train.encoder_lr_scale=0.1",
      "--backend",
      "wasm",
      "--out",
      transfer,
    ]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stderr, /encoder layers copied: [1-9]\d*/);
    assert.match(moved.stdout, /T20_Image0 +Dice [\d.]+/);
    const moveSummary = JSON.parse(await Deno.readTextFile(`${transfer}/summary.json`));
    assert.equal(moveSummary.test_fields.images, 1);
    assert.equal(moveSummary.test_fields.policy.empty, "one");
    assert.equal(moveSummary.test_fields.inference.threshold, 0.75);

    // Whole-field segmentation of one image with its mask.
    const out = `${dir}/segmented`;
    const segmented = await cli([
      "segment",
      "--run",
      transfer,
      "--input",
      `${data}/images/T20_Image0.jpg`,
      "--masks",
      `${data}/masks`,
      "--backend",
      "wasm",
      "--out",
      out,
    ]);
    assert.equal(segmented.code, 0, segmented.stderr);
    for (const file of ["T20_Image0_mask.png", "T20_Image0_overlay.png", "regions.csv"]) {
      assert.ok((await Deno.stat(`${out}/${file}`)).isFile, file);
    }
    const csv = await Deno.readTextFile(`${out}/regions.csv`);
    assert.match(csv, /^image,region,area,bbox_x,/);
    // One crop PNG per region row.
    const regionRows = csv.trim().split("\n").length - 1;
    let crops = 0;
    try {
      for await (const _ of Deno.readDir(`${out}/crops`)) crops++;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    assert.equal(crops, regionRows);
    const quant = JSON.parse(await Deno.readTextFile(`${out}/quantification.json`));
    assert.equal(quant.heuristic, true);
    assert.ok(Array.isArray(quant.images.T20_Image0));
    const evaluation = JSON.parse(await Deno.readTextFile(`${out}/evaluation.json`));
    assert.equal(evaluation.per_image[0].id, "T20_Image0");
    const { tp, fp, fn, tn } = evaluation.pooled;
    assert.equal(tp + fp + fn + tn, 2448 * 2048);
    assert.equal(evaluation.inference.tile, 256);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train.data_parallel splits the smoke preset's batches with a worker", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = `${dir}/run`;
    const trained = await cli([
      "train",
      "--config",
      "config/segmentation/smoke.toml",
      "--set",
      "train.data_parallel=true",
      "--backend",
      "wasm",
      "--out",
      run,
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    const info = JSON.parse(await Deno.readTextFile(`${run}/run.json`));
    assert.equal(info.dataParallel, true);
    const summary = JSON.parse(await Deno.readTextFile(`${run}/summary.json`));
    assert.equal(summary.steps, 2);
    const history = (await Deno.readTextFile(`${run}/history.jsonl`)).trim().split("\n")
      .map((line) => JSON.parse(line)).filter((row) => row.split === "train");
    assert.equal(history.length, 2);
    for (const row of history) assert.ok(Number.isFinite(row.loss) && row.loss > 0, row);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("segmentation bad input is one line and exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = await cli([
      "train",
      "--config",
      "config/segmentation/smoke.toml",
      "--set",
      "data.images=/nonexistent/images",
      "--out",
      `${dir}/run`,
    ]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /data\.images \/nonexistent\/images does not exist/);
    const typo = await cli([
      "train",
      "--config",
      "config/segmentation/smoke.toml",
      "--set",
      "infer.treshold=0.5",
      "--out",
      `${dir}/run2`,
    ]);
    assert.equal(typo.code, 2, typo.stderr);
    assert.match(typo.stderr, /threshold/);
    const notRun = await cli(["segment", "--run", dir, "--input", SEG, "--out", `${dir}/o`]);
    assert.equal(notRun.code, 2, notRun.stderr);
    assert.match(notRun.stderr, /is not a finished run folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
