/**
 * `deno task evaluate`: per-task metrics and confusion matrices of a saved classifier on a
 * split of any preprocessed dataset with the same labels.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { type Command, UsageError } from "../command.ts";
import { FileStorage } from "../file_storage.ts";
import { formatEvaluation } from "../format_evaluation.ts";
import type { ClassifierConfig } from "../../../lib/classify/config_schema.ts";
import { datasetFingerprint, openImageDataset } from "../../../lib/data/image_dataset.ts";
import type { LabelSpec } from "../../../lib/data/labels.ts";
import { RunFolder } from "../../../lib/io/run_folder.ts";
import { initBackend } from "../../../lib/runtime/backend.ts";
import { evaluateModel } from "../../../lib/train/evaluate_model.ts";
import type { TargetNormalization } from "../../../lib/classify/target_normalization.ts";

export const command: Command = {
  name: "evaluate",
  summary: "per-task metrics of a saved classifier on a dataset split",
  help: [
    "deno task evaluate: metrics and confusion matrices of a trained run on a dataset",
    "",
    "Usage:",
    "  deno task evaluate --run DIR [--data DIR] [--split NAME|all] --out FILE.json",
    "",
    "Example:",
    "  deno task evaluate --run runs/math-state --data datasets/math-db --split all \\",
    "    --out runs/math-state/eval-all.json",
    "",
    "--data defaults to the run's training data; --split defaults to test; `all` uses every",
    "row (for a separate cohort). The dataset must have the run's label columns.",
    "",
    "Flags:",
    "  --run DIR        the run folder (model/ and run.json)",
    "  --data DIR       preprocessed dataset folder(s); repeat for several",
    "  --split NAME     train | val | test | all (default test)",
    "  --backend NAME   auto | webgpu | wasm | cpu (default auto)",
    "  --out FILE       where the JSON report goes",
  ].join("\n"),
  flags: {
    run: { type: "string" },
    data: { type: "string", multiple: true },
    split: { type: "string", default: "test" },
    backend: { type: "string", default: "auto" },
    out: { type: "string" },
  },
  async run(ctx) {
    const runDir = ctx.values.run as string | undefined;
    const outFile = ctx.values.out as string | undefined;
    if (runDir === undefined) throw new UsageError("evaluate: --run DIR is required");
    if (outFile === undefined) throw new UsageError("evaluate: --out FILE.json is required");
    const run = new RunFolder(new FileStorage(resolve(runDir)));
    if (
      !(await run.storage.exists("run.json")) || !(await run.storage.exists("model/model.json"))
    ) {
      throw new UsageError(`--run ${runDir}: not a finished run folder (no run.json or model/)`);
    }
    const info = await run.readRunInfo();
    const config = info.config as ClassifierConfig;
    const tasks = info.labels as LabelSpec[];
    const dataDirs = (ctx.values.data as string[] | undefined) ?? (info.data as string[]);
    const roots = [];
    for (const dir of dataDirs) {
      const files = new FileStorage(resolve(dir));
      if (!(await files.exists("metadata.csv"))) {
        throw new UsageError(
          `--data ${dir}: no metadata.csv (a folder made by deno task preprocess)`,
        );
      }
      roots.push({ name: dir, files });
    }
    const split = ctx.values.split as string;
    // A model trained on subject-centred inputs is evaluated on inputs centred the same way
    // (each subject of the evaluated rows by its own mean; runs from before the option lack it).
    const data = await openImageDataset(roots, split, tasks, {
      subjectCentering: config.data?.subject_centering ?? false,
    });
    if (data.source.size === 0) throw new UsageError(`split "${split}" has no rows`);
    const backend = await initBackend({ backend: ctx.values.backend as "auto" });
    const model = await run.loadModel();
    const expected = model.inputs[0].shape.slice(1).join("x");
    if (expected !== data.inputShape.join("x")) {
      throw new UsageError(
        `the model takes ${expected} inputs but the dataset's images are ${
          data.inputShape.join("x")
        }`,
      );
    }
    const evaluation = await evaluateModel(model, data.source, tasks, {
      batchSize: config.train.eval_batch_size,
      loss: {
        classificationLoss: config.train.loss === "focal" ? "focal" : "cross_entropy",
        labelSmoothing: config.train.label_smoothing,
        focalAlpha: config.train.focal_alpha,
        focalGamma: config.train.focal_gamma,
        huberDelta: config.train.huber_delta,
        weights: config.train.task_weights,
        normalization: info.targetNormalization as TargetNormalization,
      },
    });
    model.dispose();
    const report = {
      run: resolve(runDir),
      data: dataDirs,
      split,
      rows: data.source.size,
      data_fingerprint: await datasetFingerprint(roots),
      backend: backend.backend,
      ...evaluation,
    };
    const outPath = resolve(outFile);
    await new FileStorage(dirname(outPath)).writeText(
      outPath.slice(dirname(outPath).length + 1),
      JSON.stringify(report, null, 2) + "\n",
    );
    console.log(formatEvaluation(split, evaluation, tasks));
    console.log(`report: ${outPath}`);
    return 0;
  },
};
