/**
 * `deno task train`: trains the multi-task classifier on preprocessed spectrogram datasets
 * (or, with no arguments, on the built-in synthetic EEG), writes the run folder, and
 * evaluates the saved model on the test split.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { type Command, UsageError } from "../command.ts";
import {
  CONFIG_FLAGS,
  CONFIG_FLAGS_HELP,
  loadTaskConfig,
  maybePrintConfig,
} from "../task_config.ts";
import { FileStorage } from "../file_storage.ts";
import { createProgressBar } from "../progress.ts";
import { stoppedLine, withTrainingSession } from "../training_session.ts";
import { createGradientWorker } from "../gradient_worker.ts";
import { ensureBuiltinDataset } from "../builtin_data.ts";
import { type ClassifierConfig, CLASSIFY_SCHEMA } from "../../../lib/classify/config_schema.ts";
import type { DatasetRoot } from "../../../lib/data/image_dataset.ts";
import { runTrainingJob } from "../../../lib/classify/train_job.ts";
import { RunFolder } from "../../../lib/io/run_folder.ts";
import { initBackend } from "../../../lib/runtime/backend.ts";
import { formatEvaluation } from "../format_evaluation.ts";
import { configKind } from "../config_kind.ts";
import { SEGMENT_SCHEMA, type SegmentConfig } from "../../../lib/segment/config_schema.ts";
import { trainSegmentation } from "./train_segmentation.ts";

const _DEMO = new URL("../../../config/classification/demo.toml", import.meta.url);

function _timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
}

async function _isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(dir)) return false;
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
}

async function _roots(config: ClassifierConfig, log: (m: string) => void): Promise<DatasetRoot[]> {
  const roots = Array.isArray(config.data.root) ? config.data.root : [config.data.root];
  if (roots.length === 1 && roots[0] === "") {
    log("data.root is empty: using the built-in synthetic EEG (made once under runs/.builtin/)");
    const bar = createProgressBar();
    try {
      roots[0] = await ensureBuiltinDataset("runs", bar.listener);
    } finally {
      bar.stop();
    }
  }
  const out: DatasetRoot[] = [];
  for (const root of roots) {
    const files = new FileStorage(resolve(root));
    if (!(await files.exists("metadata.csv"))) {
      throw new UsageError(
        `data.root ${root} has no metadata.csv: point it at a folder made by deno task preprocess`,
      );
    }
    out.push({ name: root, files });
  }
  return out;
}

export const command: Command = {
  name: "train",
  summary: "train the EEG classifier or the segmentation U-Net (no arguments: synthetic EEG demo)",
  help: [
    "deno task train: multi-task EEG classifier, or the segmentation U-Net",
    "",
    "Usage:",
    "  deno task train [--config FILE] [--set k=v] [--backend NAME] [--out DIR] [--resume DIR]",
    "",
    "Examples:",
    "  deno task train                                   # built-in synthetic EEG demo",
    "  deno task train --config config/classification/math-state.toml \\",
    "    --set data.root=datasets/math-db --out runs/math-state",
    "  deno task train --resume runs/math-state           # continue a killed run",
    "  deno task train --config config/segmentation/mito.toml --out runs/mito",
    "  deno task train --config config/segmentation/glomeruli-transfer.toml \\",
    "    --set model.encoder_from=runs/mito --out runs/glomeruli-transfer",
    "",
    "A config with data.images/data.masks (config/segmentation/) trains the segmentation",
    "U-Net instead; its run folder's summary.json adds test_fields (whole-field metrics).",
    "Without --config the demo preset config/classification/demo.toml is used. The run",
    "folder gets run.json, model/, checkpoints/, history.jsonl and summary.json (with test",
    "metrics of the saved model when the dataset has a test split).",
    "",
    "Flags:",
    CONFIG_FLAGS_HELP,
    "  --resume DIR             continue the run in DIR from checkpoints/last (its saved config)",
  ].join("\n"),
  flags: { ...CONFIG_FLAGS, resume: { type: "string" } },
  async run(ctx) {
    const log = (message: string) => console.error(`[train] ${message}`);
    const resumeDir = ctx.values.resume as string | undefined;
    let config: ClassifierConfig;
    let segmentation: SegmentConfig | undefined;
    if (resumeDir !== undefined) {
      if (ctx.values.config !== undefined || ctx.values.set !== undefined) {
        throw new UsageError("--resume continues with the run's saved config: drop --config/--set");
      }
      const run = new RunFolder(new FileStorage(resolve(resumeDir)));
      if (!(await run.storage.exists("run.json"))) {
        throw new UsageError(`--resume ${resumeDir}: no run.json there (not a run folder)`);
      }
      const info = await run.readRunInfo();
      config = info.config as ClassifierConfig;
      config.run.out = resumeDir;
      if (info.kind === "segmentation") segmentation = info.config as SegmentConfig;
    } else {
      const values = { ...ctx.values };
      if (values.config === undefined) values.config = _DEMO.pathname;
      const text = await Deno.readTextFile(values.config as string).catch(() => undefined);
      if (configKind(text, (values.set as string[] | undefined) ?? []) === "segmentation") {
        segmentation = await loadTaskConfig(values, SEGMENT_SCHEMA) as SegmentConfig;
        if (maybePrintConfig(ctx.values, segmentation, SEGMENT_SCHEMA)) return 0;
        config = segmentation as unknown as ClassifierConfig; // only run.* is read below
      } else {
        config = await loadTaskConfig(values, CLASSIFY_SCHEMA) as ClassifierConfig;
        if (maybePrintConfig(ctx.values, config, CLASSIFY_SCHEMA)) return 0;
      }
    }
    const out = resolve(config.run.out || join("runs", `train-${_timestamp()}`));
    if (resumeDir === undefined && !(await _isEmptyOrMissing(out))) {
      throw new UsageError(`--out ${out} is not empty: pick a new folder, or --resume it`);
    }
    if (segmentation !== undefined) {
      return await trainSegmentation(segmentation, out, { resume: resumeDir !== undefined, log });
    }
    const roots = await _roots(config, log);
    const backend = await initBackend({ backend: config.run.backend });
    log(`backend: ${backend.backend} (${backend.reason})`);
    const result = await withTrainingSession(log, ({ onProgress, signal }) =>
      runTrainingJob({
        config,
        roots,
        runStorage: new FileStorage(out),
        backend,
        resume: resumeDir !== undefined,
        onProgress,
        signal,
        runInfo: { versions: { deno: Deno.version.deno } },
        createWorker: createGradientWorker,
        onStart: ({ tasks, rows }) =>
          log(
            `tasks: ${tasks.map((t) => t.name).join(", ")}; rows: train ${rows.train}, ` +
              `val ${rows.val}, test ${rows.test}; run folder: ${out}`,
          ),
      }));
    if (result.train.stopReason === "aborted") {
      log(stoppedLine(result.train.steps, result.train.totalSteps, out));
      return 1;
    }
    if (result.test !== undefined) console.log(formatEvaluation("test", result.test, result.tasks));
    else log("no test split: test metrics skipped");
    console.log(`\nrun folder: ${out}`);
    console.log(
      `next: deno task evaluate --run ${out} --data DIR --split all   (another cohort)\n` +
        `      deno task train --config config/classification/math-state.toml --set data.root=DIR`,
    );
    return 0;
  },
};
