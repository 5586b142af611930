/**
 * The whole classifier training job, the same in the CLI and in a browser worker: open the
 * datasets' splits, build the model from the config, train (writing the run folder through
 * any Storage), and evaluate the saved model on the test split.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { RunFolder } from "../io/run_folder.ts";
import { Rng } from "../runtime/rng.ts";
import { startDataParallel, type TrainingJobHost } from "../train/job_options.ts";
import { trainModel, type TrainResult } from "../train/train_model.ts";
import { planTraining } from "../train/train_plan.ts";
import { evaluateModel, type EvaluationResult } from "../train/evaluate_model.ts";
import type { LabelSpec } from "../data/labels.ts";
import {
  datasetFingerprint,
  type DatasetRoot,
  datasetTasks,
  openImageDataset,
} from "../data/image_dataset.ts";
import { buildClassifier } from "./build_classifier.ts";
import type { ClassifierConfig } from "./config_schema.ts";

/** Options of {@linkcode runTrainingJob}. */
export interface TrainingJobOptions extends TrainingJobHost {
  config: ClassifierConfig;
  /** The preprocessed dataset folders (data.root resolved by the caller). */
  roots: DatasetRoot[];
  /** Called once the datasets are open, before training (for a log line). */
  onStart?: (facts: { tasks: LabelSpec[]; rows: Record<string, number> }) => void;
}

/** What the job did. */
export interface TrainingJobResult {
  tasks: LabelSpec[];
  train: TrainResult;
  /** Metrics of the saved model on the test split, when there is one and training completed. */
  test?: EvaluationResult;
}

/**
 * Runs the training job.
 *
 * @example
 * ```ts ignore
 * const result = await runTrainingJob({ config, roots, runStorage: new MemoryStorage(), backend });
 * ```
 */
export async function runTrainingJob(options: TrainingJobOptions): Promise<TrainingJobResult> {
  const { config, roots } = options;
  const tasks = await datasetTasks(roots, config.data.tasks);
  const open = { subjectCentering: config.data.subject_centering };
  const train = await openImageDataset(roots, "train", tasks, open);
  const val = await openImageDataset(roots, "val", tasks, open);
  const test = await openImageDataset(roots, "test", tasks, open);
  if (train.source.size === 0) {
    throw new RangeError("Cannot train as the train split is empty: current value is 0 rows");
  }
  options.onStart?.({
    tasks,
    rows: { train: train.source.size, val: val.source.size, test: test.source.size },
  });
  const model = buildClassifier({
    backbone: config.model.backbone,
    inputShape: train.inputShape,
    tasks,
    seed: config.run.seed,
    embedding: config.model.embedding,
    depth: config.model.depth,
    layerRepeats: config.model.layer_repeats,
    dropout: config.model.dropout,
    activation: config.model.activation,
    channels: config.model.channels,
    pooling: config.model.pooling,
  });
  const runFolder = new RunFolder(options.runStorage);
  const parallel = await startDataParallel(options, config.train.data_parallel, {
    model,
    objective: {
      kind: "multi_task",
      tasks,
      lossOptions: planTraining(config.train, tasks, train.source).loss,
    },
  });
  const dataParallel = parallel !== undefined;
  let result: TrainResult;
  try {
    result = await trainModel({
      model,
      data: { train: train.source, val: val.source.size > 0 ? val.source : undefined },
      tasks,
      config: config.train,
      runFolder,
      rng: new Rng(config.run.seed).fork("train"),
      resume: options.resume,
      onProgress: options.onProgress,
      signal: options.signal,
      gradients: parallel && ((batch, step) => parallel.compute(batch, step)),
      runInfo: {
        ...options.runInfo,
        config,
        versions: { tfjs: tf.version.tfjs, ...(options.runInfo?.versions as object) },
        backend: options.backend,
        seed: config.run.seed,
        dataFingerprint: await datasetFingerprint(roots),
        data: roots.map((r) => r.name),
        inputNormalization: train.normalization,
        dataParallel,
      },
    });
  } finally {
    parallel?.dispose();
    model.dispose();
  }
  if (result.stopReason === "aborted" || test.source.size === 0) return { tasks, train: result };
  // Test metrics of the model as saved (the best checkpoint's weights by default).
  const saved = await runFolder.loadModel();
  const plan = planTraining(config.train, tasks, train.source);
  const evaluation = await evaluateModel(saved, test.source, tasks, {
    batchSize: config.train.eval_batch_size,
    loss: plan.loss,
  });
  saved.dispose();
  const summary = await runFolder.readSummary();
  await runFolder.writeSummary({ ...summary, test: evaluation, test_rows: test.source.size });
  return { tasks, train: result, test: evaluation };
}
