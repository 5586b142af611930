/**
 * Evaluation of a multi-task model on a batch source: the same weighted loss as training
 * (masked per task) and every metric of each task, from lib/classify/metrics.ts.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LabelSpec } from "../data/labels.ts";
import { multiTaskLoss, type MultiTaskLossOptions } from "../classify/losses.ts";
import {
  type ClassificationMetrics,
  classificationMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from "../classify/metrics.ts";
import { denormalize } from "../classify/target_normalization.ts";
import type { BatchSource } from "./batch_source.ts";

/** One task's evaluation: its metrics and its (unweighted) loss. */
export type TaskEvaluation = (ClassificationMetrics | RegressionMetrics | MaskMetrics) & {
  loss: number;
};

/** Metrics of a dense task scored per pixel (e.g. Dice and IoU of lib/segment/metrics.ts). */
export interface MaskMetrics {
  /** Rows (crops or images) scored. */
  n: number;
  [metric: string]: number;
}

/** What {@linkcode evaluateModel} returns. */
export interface EvaluationResult {
  /** The weighted multi-task loss over every row. */
  loss: number;
  /** Per task, by name. Regression metrics are in the label's units. */
  tasks: Record<string, TaskEvaluation>;
}

/** Options of {@linkcode evaluateModel}. */
export interface EvaluateOptions {
  /** Rows per forward pass. Default 64. */
  batchSize?: number;
  /** The loss settings of training (weights, smoothing, normalisation...). */
  loss?: MultiTaskLossOptions;
}

/**
 * Runs `model` (inference mode) over every row of `source` and scores each task on its
 * labelled rows. Reads each batch's outputs back to the CPU (one sync per batch).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { evaluateModel } from "./evaluate_model.ts";
 * import { tensorBatchSource } from "./batch_source.ts";
 * const task = { name: "y", kind: "classification" as const, classes: ["a", "b"], column: "y", description: "" };
 * const input = tf.input({ shape: [1] });
 * const out = tf.layers.dense({ units: 2, activation: "softmax", name: "y" }).apply(input);
 * const model = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
 * const x = tf.tensor2d([[1], [-1]]);
 * const result = await evaluateModel(model, tensorBatchSource(x, { y: [0, 1] }), [task]);
 * console.assert(result.tasks.y.n === 2 && Number.isFinite(result.loss));
 * tf.dispose(x);
 * model.dispose();
 * ```
 */
export async function evaluateModel(
  model: tf.LayersModel,
  source: BatchSource,
  tasks: readonly LabelSpec[],
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const { batchSize = 64, loss = {} } = options;
  const outputIndex = taskOutputIndices(model, tasks);
  const widths = tasks.map((t) => model.outputs[outputIndex[t.name]].shape[1] as number);
  const outputs = tasks.map((_, i) => new Float32Array(source.size * widths[i]));
  const targets = tasks.map(() => new Float64Array(source.size));
  for (let start = 0; start < source.size; start += batchSize) {
    const indices = Array.from(
      { length: Math.min(batchSize, source.size - start) },
      (_, i) => start + i,
    );
    const batch = await source.batch(indices);
    const predicted = tf.tidy(() => {
      const out = model.apply(batch.x, { training: false }) as tf.Tensor | tf.Tensor[];
      return Array.isArray(out) ? out : [out];
    });
    try {
      for (const [i, task] of tasks.entries()) {
        // GPU-CPU sync: one read per task and batch.
        const values = await predicted[outputIndex[task.name]].data() as Float32Array;
        outputs[i].set(values, start * widths[i]);
        const taskTargets = batch.targets[task.name];
        if (taskTargets?.length !== indices.length) {
          throw new TypeError(
            `Cannot evaluate task "${task.name}" as each batch needs one target per row ` +
              `(${indices.length}): current value has ${taskTargets?.length ?? "none"}`,
          );
        }
        targets[i].set(Array.from(taskTargets), start);
      }
    } finally {
      tf.dispose([batch.x, ...predicted]);
    }
  }

  // The loss over every row at once: each task's masked mean is over all its labelled rows.
  const predictions = tasks.map((_, i) => tf.tensor2d(outputs[i], [source.size, widths[i]]));
  const byTask = Object.fromEntries(tasks.map((t, i) => [t.name, targets[i]]));
  const losses = multiTaskLoss(predictions, byTask, tasks, loss);
  const scalars = [losses.total, ...tasks.map((t) => losses.perTask[t.name])];
  const [total, ...perTask] = await Promise.all(scalars.map(async (s) => (await s.data())[0]));
  tf.dispose([...predictions, ...scalars]);

  const result: EvaluationResult = { loss: total, tasks: {} };
  for (const [i, task] of tasks.entries()) {
    const metrics = task.kind === "classification"
      ? classificationMetrics(targets[i], outputs[i], widths[i])
      : regressionMetrics(
        targets[i],
        denormalize(outputs[i], loss.normalization?.[task.name] ?? { mean: 0, std: 1 }),
      );
    result.tasks[task.name] = { ...metrics, loss: perTask[i] };
  }
  return result;
}

/**
 * The index of each task's output in `model.outputs`, found by name.
 *
 * @throws {RangeError} when the model has no output named after a task.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { taskOutputIndices } from "./evaluate_model.ts";
 * const input = tf.input({ shape: [1] });
 * const a = tf.layers.dense({ units: 1, name: "a" }).apply(input) as tf.SymbolicTensor;
 * const b = tf.layers.dense({ units: 2, name: "b" }).apply(input) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: [a, b] });
 * console.assert(taskOutputIndices(model, [{ name: "b" }]).b === 1);
 * model.dispose();
 * ```
 */
export function taskOutputIndices(
  model: tf.LayersModel,
  tasks: readonly Pick<LabelSpec, "name">[],
): Record<string, number> {
  const indices: Record<string, number> = {};
  for (const task of tasks) {
    const index = model.outputNames.indexOf(task.name);
    if (index < 0) {
      throw new RangeError(
        `Cannot use the model for task "${task.name}" as it must have an output of that name: ` +
          `current outputs are ${model.outputNames.join(", ")}`,
      );
    }
    indices[task.name] = index;
  }
  return indices;
}

/**
 * Reads a metric from an evaluation: "loss" (the weighted total) or "<task>.<metric>"
 * (e.g. "age.mae", "gender.loss"). NaN when the task has no such metric value.
 *
 * @throws {RangeError} for a task that was not evaluated.
 *
 * @example
 * ```ts
 * import { readMetric } from "./evaluate_model.ts";
 * const result = { loss: 0.5, tasks: { age: { n: 3, mae: 4.2, rmse: 5, loss: 0.3 } } };
 * console.assert(readMetric(result, "age.mae") === 4.2 && readMetric(result, "loss") === 0.5);
 * ```
 */
export function readMetric(result: EvaluationResult, key: string): number {
  if (key === "loss") return result.loss;
  const dot = key.indexOf(".");
  const task = result.tasks[key.slice(0, dot)];
  if (dot < 0 || task === undefined) {
    throw new RangeError(
      `Cannot read metric "${key}" as it must be "loss" or "<task>.<metric>" with a task of ` +
        `${Object.keys(result.tasks).join(", ")}: current value is "${key}"`,
    );
  }
  const value = (task as unknown as Record<string, unknown>)[key.slice(dot + 1)];
  return typeof value === "number" ? value : NaN;
}

/**
 * An evaluation as flat named numbers for progress events and charts: `val_loss` and
 * `<task>.<metric>` (the confusion matrix is left out).
 *
 * @example
 * ```ts
 * import { flattenEvaluation } from "./evaluate_model.ts";
 * const flat = flattenEvaluation({ loss: 0.5, tasks: { age: { n: 3, mae: 4, rmse: 5, loss: 0.3 } } });
 * console.assert(flat.val_loss === 0.5 && flat["age.mae"] === 4);
 * ```
 */
export function flattenEvaluation(result: EvaluationResult): Record<string, number> {
  const metrics: Record<string, number> = { val_loss: result.loss };
  for (const [task, values] of Object.entries(result.tasks)) {
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "number") metrics[`${task}.${name}`] = value;
    }
  }
  return metrics;
}
