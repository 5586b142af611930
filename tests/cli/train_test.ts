/**
 * `deno task train` and `deno task evaluate` as users run them, on a tiny dataset made
 * from synthetic EDF files by the real preprocessing path.
 */
import assert from "node:assert/strict";
import { READ_WRITE, runCli } from "../_support/cli.ts";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { makeTinyDataset } from "../_support/tiny_dataset.ts";

function cli(args: string[]) {
  return runCli(args, READ_WRITE);
}

async function tinyDataset(dir: string): Promise<string> {
  await makeTinyDataset(new FileStorage(`${dir}/dataset`), {
    edf: new FileStorage(`${dir}/edf`),
    seed: 1,
  });
  return `${dir}/dataset`;
}

Deno.test("train writes a complete run folder, evaluate reads it, and bad input is exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await tinyDataset(dir);
    const run = `${dir}/run`;
    const trained = await cli([
      "train",
      "--config",
      "config/classification/smoke.toml",
      "--set",
      `data.root=${data}`,
      "--backend",
      "wasm",
      "--out",
      run,
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, /test metrics \(loss [\d.]+\):/);
    assert.match(trained.stdout, /task_state +n +\d+ +balanced acc/);
    for (
      const file of [
        "run.json",
        "history.jsonl",
        "summary.json",
        "model/model.json",
        "model/weights.bin",
      ]
    ) {
      assert.ok((await Deno.stat(`${run}/${file}`)).isFile, file);
    }
    const info = JSON.parse(await Deno.readTextFile(`${run}/run.json`));
    assert.equal(info.config.model.channels, 4);
    assert.equal(info.backend.backend, "wasm");
    assert.match(info.dataFingerprint, /^[0-9a-f]{64}$/);
    assert.deepEqual(info.labels.map((l: { name: string }) => l.name), [
      "gender",
      "age",
      "task_state",
    ]);
    const summary = JSON.parse(await Deno.readTextFile(`${run}/summary.json`));
    assert.equal(summary.steps, 3);
    assert.ok(summary.test.tasks.task_state.n > 0);
    const history = (await Deno.readTextFile(`${run}/history.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.ok(history.some((h) => h.split === "train" && Number.isFinite(h.loss)));

    const report = `${dir}/eval.json`;
    const evaluated = await cli(["evaluate", "--run", run, "--split", "all", "--out", report]);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const json = JSON.parse(await Deno.readTextFile(report));
    assert.equal(json.split, "all");
    assert.equal(json.rows, 6 * 2); // 6 subjects x 2 recordings x 1 window of 20 s
    assert.equal(json.tasks.task_state.confusion_matrix.length, 2);

    const again = await cli([
      "train",
      "--config",
      "config/classification/smoke.toml",
      "--set",
      `data.root=${data}`,
      "--out",
      run,
    ]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /is not empty: pick a new folder, or --resume it/);
    const noData = await cli(["train", "--set", `data.root=${dir}/edf`, "--out", `${dir}/run2`]);
    assert.equal(noData.code, 2);
    assert.match(
      noData.stderr,
      /has no metadata\.csv: point it at a folder made by deno task preprocess/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
