/**
 * Losses of the multi-task classifier. Every per-task loss is a masked mean: rows whose
 * target is missing (`-1` class, `NaN` value) are left out, and a batch where a task has no
 * labelled row contributes 0 for that task (never NaN), with zero gradient.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type LabelSpec, MISSING_CLASS } from "../data/labels.ts";
import type { TargetNormalization } from "./target_normalization.ts";

/** Probabilities are clipped to [PROB_EPSILON, 1] before the log (as Keras does). */
export const PROB_EPSILON = 1e-7;

/** Options of {@linkcode crossEntropyLoss}. */
export interface CrossEntropyOptions {
  /** ε of label smoothing: targets become (1 - ε)·onehot + ε/K. Default 0. */
  labelSmoothing?: number;
}

/** Options of {@linkcode focalLoss}. */
export interface FocalLossOptions extends CrossEntropyOptions {
  /** Focusing parameter γ ≥ 0 (0 gives cross-entropy). Default 2. */
  gamma?: number;
  /** α: one weight for every class, or one per class. Default 1. */
  alpha?: number | readonly number[];
}

/**
 * Mean cross-entropy of softmax outputs `probs` `[B, K]` against class indices (`-1` =
 * missing, left out): -Σ_k y_k log p_k with (optionally smoothed) one-hot y.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { crossEntropyLoss } from "./losses.ts";
 * const probs = tf.tensor2d([[0.5, 0.5], [0.9, 0.1]]);
 * const loss = crossEntropyLoss(probs, [1, -1]);
 * console.assert(Math.abs((await loss.data())[0] - Math.LN2) < 1e-6);
 * tf.dispose([probs, loss]);
 * ```
 */
export function crossEntropyLoss(
  probs: tf.Tensor,
  labels: ArrayLike<number>,
  options: CrossEntropyOptions = {},
): tf.Scalar {
  return focalLoss(probs, labels, { ...options, gamma: 0, alpha: 1 });
}

/**
 * Mean focal loss (Lin et al. 2017, eq. 5, on softmax outputs) over labelled rows:
 * -Σ_k α_k y_k (1 - p_k)^γ log p_k, with (optionally smoothed) one-hot y. With γ = 0 and
 * α = 1 it is the cross-entropy.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { focalLoss } from "./losses.ts";
 * const probs = tf.tensor2d([[0.2, 0.8]]);
 * const loss = focalLoss(probs, [1], { gamma: 2, alpha: 0.25 });
 * const expected = -0.25 * 0.2 ** 2 * Math.log(0.8);
 * console.assert(Math.abs((await loss.data())[0] - expected) < 1e-7);
 * tf.dispose([probs, loss]);
 * ```
 */
export function focalLoss(
  probs: tf.Tensor,
  labels: ArrayLike<number>,
  options: FocalLossOptions = {},
): tf.Scalar {
  const { labelSmoothing = 0, gamma = 2, alpha = 1 } = options;
  if (probs.rank !== 2 || probs.shape[0] !== labels.length) {
    throw new TypeError(
      `Error in focalLoss: probs must be [B, K] with B = ${labels.length} labels but got ` +
        `shape [${probs.shape}]`,
    );
  }
  const [rows, classes] = probs.shape as [number, number];
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw new RangeError(
      `Cannot compute the loss as labelSmoothing must be in [0, 1): current value is ${labelSmoothing}`,
    );
  }
  if (!(gamma >= 0)) {
    throw new RangeError(
      `Cannot compute the loss as gamma must be >= 0: current value is ${gamma}`,
    );
  }
  const alphas = typeof alpha === "number" ? new Array(classes).fill(alpha) : [...alpha];
  if (alphas.length !== classes || alphas.some((a) => !(a >= 0))) {
    throw new RangeError(
      `Cannot compute the loss as alpha must be a number >= 0 or ${classes} of them: current ` +
        `value is ${JSON.stringify(alpha)}`,
    );
  }
  const { indices, mask, count } = _classMask(labels, classes);
  return tf.tidy(() => {
    const target = tf.oneHot(tf.tensor1d(indices, "int32"), classes) // [B, K]
      .mul(1 - labelSmoothing).add(labelSmoothing / classes);
    const p = probs.clipByValue(PROB_EPSILON, 1);
    let perClass = target.mul(p.log()).mul(tf.tensor1d(alphas)); // [B, K]
    if (gamma > 0) perClass = perClass.mul(tf.scalar(1).sub(p).pow(gamma));
    const perRow = perClass.sum(1).neg(); // [B]
    return _maskedMean(perRow, mask, count, rows);
  });
}

/**
 * Mean Huber loss over rows with a target (`NaN` = missing): ½a² for |a| ≤ δ, else
 * δ(|a| - ½δ), where a = prediction - target.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { huberLoss } from "./losses.ts";
 * const predictions = tf.tensor2d([[0.5], [3], [0]]);
 * const loss = huberLoss(predictions, [0, 0, NaN], { delta: 1 });
 * console.assert(Math.abs((await loss.data())[0] - (0.125 + 2.5) / 2) < 1e-6);
 * tf.dispose([predictions, loss]);
 * ```
 */
export function huberLoss(
  predictions: tf.Tensor,
  targets: ArrayLike<number>,
  options: { delta?: number } = {},
): tf.Scalar {
  const { delta = 1 } = options;
  if (predictions.size !== targets.length || predictions.shape[0] !== targets.length) {
    throw new TypeError(
      `Error in huberLoss: predictions must be [B] or [B, 1] with B = ${targets.length} ` +
        `targets but got shape [${predictions.shape}]`,
    );
  }
  if (!(delta > 0)) {
    throw new RangeError(`Cannot compute the loss as delta must be > 0: current value is ${delta}`);
  }
  const rows = targets.length;
  const values = new Float32Array(rows);
  const mask = new Float32Array(rows);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    // NaN * 0 is NaN: missing rows get a 0 target as well as a 0 mask.
    if (!Number.isNaN(targets[i])) [values[i], mask[i], count] = [targets[i], 1, count + 1];
  }
  return tf.tidy(() => {
    const error = predictions.reshape([rows]).sub(tf.tensor1d(values)).abs(); // [B]
    const quadratic = error.minimum(delta);
    // ½q² + δ(|a| - q): ½a² inside the threshold, δ(|a| - ½δ) outside.
    const perRow = quadratic.square().mul(0.5).add(error.sub(quadratic).mul(delta));
    return _maskedMean(perRow, mask, count, rows);
  });
}

/** Options of {@linkcode multiTaskLoss}. */
export interface MultiTaskLossOptions {
  /** Loss of classification tasks. Default "cross_entropy". */
  classificationLoss?: "cross_entropy" | "focal";
  /** Label smoothing ε of classification losses. Default 0. */
  labelSmoothing?: number;
  /** Focal loss α (when `classificationLoss` is "focal"). Default 1. */
  focalAlpha?: number;
  /** Focal loss γ (when `classificationLoss` is "focal"). Default 2. */
  focalGamma?: number;
  /** Huber δ of regression tasks, in standard deviations of the target. Default 1. */
  huberDelta?: number;
  /** Per-task weights; see {@linkcode taskWeights}. */
  weights?: Record<string, number>;
  /** Mean and std of each regression task; targets are standardised with them. */
  normalization?: TargetNormalization;
}

/** The weighted total and each task's (unweighted) loss. */
export interface MultiTaskLoss {
  total: tf.Scalar;
  perTask: Record<string, tf.Scalar>;
}

/**
 * The weighted sum of each task's loss: cross-entropy or focal for classification, Huber
 * on standardised targets for regression. `outputs[i]` is task i's model output.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { multiTaskLoss } from "./losses.ts";
 * const tasks = [
 *   { name: "a", kind: "classification" as const, classes: ["x", "y"], column: "a", description: "" },
 *   { name: "b", kind: "regression" as const, column: "b", description: "" },
 * ];
 * const outputs = [tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[1]])];
 * const { total, perTask } = multiTaskLoss(outputs, { a: [0], b: [NaN] }, tasks);
 * console.assert(Math.abs((await total.data())[0] - Math.LN2 / 2) < 1e-6);
 * tf.dispose([...outputs, total, ...Object.values(perTask)]);
 * ```
 */
export function multiTaskLoss(
  outputs: readonly tf.Tensor[],
  targets: Record<string, ArrayLike<number>>,
  tasks: readonly LabelSpec[],
  options: MultiTaskLossOptions = {},
): MultiTaskLoss {
  if (outputs.length !== tasks.length) {
    throw new TypeError(
      `Error in multiTaskLoss: expected one output per task (${tasks.length}) but got ` +
        `${outputs.length}`,
    );
  }
  const weights = taskWeights(tasks, options.weights);
  const perTask: Record<string, tf.Scalar> = {};
  for (const [i, task] of tasks.entries()) {
    const target = targets[task.name];
    if (target === undefined) {
      tf.dispose(Object.values(perTask));
      throw new TypeError(
        `Error in multiTaskLoss: targets must have an entry per task but "${task.name}" is missing`,
      );
    }
    if (task.kind === "classification") {
      perTask[task.name] = options.classificationLoss === "focal"
        ? focalLoss(outputs[i], target, {
          labelSmoothing: options.labelSmoothing,
          alpha: options.focalAlpha,
          gamma: options.focalGamma,
        })
        : crossEntropyLoss(outputs[i], target, { labelSmoothing: options.labelSmoothing });
    } else {
      const stats = options.normalization?.[task.name] ?? { mean: 0, std: 1 };
      const standardised = Float32Array.from(target, (v) => (v - stats.mean) / stats.std);
      perTask[task.name] = huberLoss(outputs[i], standardised, { delta: options.huberDelta });
    }
  }
  const total = tf.tidy(() =>
    tf.addN(tasks.map((task) => perTask[task.name].mul(weights[task.name]))) as tf.Scalar
  );
  return { total, perTask };
}

/**
 * Each task's loss weight: `overrides[name]` where given, else 1 / number of tasks.
 *
 * @throws {RangeError} for an override naming no task, or a negative weight.
 *
 * @example
 * ```ts
 * import { taskWeights } from "./losses.ts";
 * const tasks = [{ name: "a" }, { name: "b" }, { name: "c" }];
 * const w = taskWeights(tasks, { a: 2 });
 * console.assert(w.a === 2 && w.b === 1 / 3);
 * ```
 */
export function taskWeights(
  tasks: readonly Pick<LabelSpec, "name">[],
  overrides: Record<string, number> = {},
): Record<string, number> {
  const names = tasks.map((t) => t.name);
  for (const [name, weight] of Object.entries(overrides)) {
    if (!names.includes(name)) {
      throw new RangeError(
        `Cannot weight task "${name}" as weights must name a task (${names.join(", ")}): ` +
          `current value is ${JSON.stringify(overrides)}`,
      );
    }
    if (!(weight >= 0)) {
      throw new RangeError(
        `Cannot weight task "${name}" as its weight must be >= 0: current value is ${weight}`,
      );
    }
  }
  return Object.fromEntries(names.map((name) => [name, overrides[name] ?? 1 / names.length]));
}

function _classMask(labels: ArrayLike<number>, classes: number) {
  const indices = new Int32Array(labels.length);
  const mask = new Float32Array(labels.length);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === MISSING_CLASS) continue;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(
        `Cannot compute the loss as class labels must be integers in [0, ${classes}) or -1 ` +
          `(missing): current value at row ${i} is ${label}`,
      );
    }
    [indices[i], mask[i], count] = [label, 1, count + 1];
  }
  return { indices, mask, count };
}

/** Σ mask·perRow / max(count, 1): zero (with zero gradient) when no row is labelled. */
function _maskedMean(
  perRow: tf.Tensor,
  mask: Float32Array,
  count: number,
  rows: number,
): tf.Scalar {
  return perRow.mul(tf.tensor1d(mask, "float32").reshape([rows])).sum().div(Math.max(count, 1));
}
