/**
 * Binary segmentation metrics (Dice, IoU, precision, recall, F1, pixel accuracy,
 * specificity) from confusion counts, per image and pooled over a set, with an explicit
 * policy for ratios whose denominator is 0 (e.g. Dice of two empty masks).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What a ratio with a zero denominator becomes: 1, 0 or NaN. */
export type EmptyPolicy = "one" | "zero" | "nan";

/** Pixel counts of a binary prediction against a binary ground truth. */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** The metrics of one confusion table. Snake-case keys: they go to JSON reports as-is. */
export interface SegmentationMetrics {
  /** 2TP / (|P| + |G|). */
  dice: number;
  /** TP / |P ∪ G|. */
  iou: number;
  /** TP / (TP + FP). */
  precision: number;
  /** TP / (TP + FN). */
  recall: number;
  /** Harmonic mean of precision and recall (equals Dice for binary masks). */
  f1: number;
  /** (TP + TN) / N. */
  pixel_accuracy: number;
  /** TN / (TN + FP). */
  specificity: number;
}

/** Options for {@linkcode confusionCounts}. */
export interface ConfusionOptions {
  /** A prediction is positive when strictly greater than this. Default 0.5. */
  threshold?: number;
}

/** Options for {@linkcode segmentationMetrics}. */
export interface MetricOptions {
  /** What a ratio with a zero denominator becomes. Default "one" (two empty masks: Dice 1). */
  emptyPolicy?: EmptyPolicy;
}

/** Options for {@linkcode evaluateMasks}: the threshold and the empty-mask policy. */
export interface EvaluateOptions extends ConfusionOptions, MetricOptions {}

/** The report of {@linkcode evaluateMasks}. */
export interface MaskEvaluation {
  /** The policy the numbers were computed under. */
  policy: { empty: EmptyPolicy; threshold: number };
  /** One entry per pair, in input order. */
  per_image: ({ id: string } & SegmentationMetrics & ConfusionCounts)[];
  /** Metrics of the counts summed over all images. */
  pooled: SegmentationMetrics & ConfusionCounts;
  /** Mean of the per-image values; NaN values (policy "nan") are left out, as np.nanmean. */
  mean: SegmentationMetrics;
}

const POLICIES: readonly EmptyPolicy[] = ["one", "zero", "nan"];
const METRIC_NAMES: readonly (keyof SegmentationMetrics)[] = [
  "dice",
  "iou",
  "precision",
  "recall",
  "f1",
  "pixel_accuracy",
  "specificity",
];

function _checkThreshold(threshold: number, caller: string): void {
  if (!Number.isFinite(threshold)) {
    throw new RangeError(
      `Cannot ${caller} as the threshold must be a finite number: current value is ${threshold}`,
    );
  }
}

function _checkPolicy(policy: EmptyPolicy): void {
  if (!POLICIES.includes(policy)) {
    throw new RangeError(
      `Cannot compute segmentation metrics as emptyPolicy must be "one", "zero" or "nan": ` +
        `current value is ${JSON.stringify(policy)}`,
    );
  }
}

/**
 * Counts true/false positives/negatives of `pred` (binarised at `pred > threshold`)
 * against `truth`, whose values must be exactly 0 or 1.
 *
 * @example
 * ```ts
 * import { confusionCounts } from "./metrics.ts";
 * const counts = confusionCounts([0.9, 0.2, 0.7, 0.1], [1, 1, 0, 0]);
 * console.assert(counts.tp === 1 && counts.fn === 1 && counts.fp === 1 && counts.tn === 1);
 * ```
 */
export function confusionCounts(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  options: ConfusionOptions = {},
): ConfusionCounts {
  const threshold = options.threshold ?? 0.5;
  _checkThreshold(threshold, "count confusions");
  if (pred.length !== truth.length) {
    throw new RangeError(
      `Cannot count confusions as pred and truth must have the same length ${truth.length}: ` +
        `current value is ${pred.length}`,
    );
  }
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i], t = truth[i];
    if (t !== 0 && t !== 1) {
      throw new RangeError(
        `Cannot count confusions as truth values must be 0 or 1: current value is ${t} at ${i}`,
      );
    }
    if (Number.isNaN(p)) {
      throw new RangeError(
        `Cannot count confusions as predictions must be numbers: current value is NaN at ${i}`,
      );
    }
    if (p > threshold) {
      if (t === 1) tp++;
      else fp++;
    } else if (t === 1) fn++;
  }
  return { tp, fp, fn, tn: pred.length - tp - fp - fn };
}

/**
 * Dice, IoU, precision, recall, F1, pixel accuracy and specificity of one confusion
 * table. A ratio whose denominator is 0 becomes 1, 0 or NaN by `emptyPolicy` (default
 * "one"), as scikit-learn's `zero_division`. F1 is computed from precision and recall;
 * when TP = 0 it is 0 unless both masks are empty (then it follows the policy, as Dice).
 *
 * @example
 * ```ts
 * import { segmentationMetrics } from "./metrics.ts";
 * const m = segmentationMetrics({ tp: 3, fp: 1, fn: 2, tn: 4 });
 * console.assert(Math.abs(m.dice - 6 / 9) < 1e-12 && m.iou === 0.5 && m.precision === 0.75);
 * console.assert(segmentationMetrics({ tp: 0, fp: 0, fn: 0, tn: 9 }).dice === 1);
 * console.assert(segmentationMetrics({ tp: 0, fp: 0, fn: 0, tn: 9 }, { emptyPolicy: "zero" }).dice === 0);
 * ```
 */
export function segmentationMetrics(
  counts: ConfusionCounts,
  options: MetricOptions = {},
): SegmentationMetrics {
  const policy = options.emptyPolicy ?? "one";
  _checkPolicy(policy);
  const { tp, fp, fn, tn } = counts;
  for (const [name, value] of Object.entries({ tp, fp, fn, tn })) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(
        `Cannot compute segmentation metrics as ${name} must be a non-negative integer: ` +
          `current value is ${value}`,
      );
    }
  }
  const empty = policy === "one" ? 1 : policy === "zero" ? 0 : NaN;
  const ratio = (num: number, den: number) => (den === 0 ? empty : num / den);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  let f1: number;
  if (tp + fp + fn === 0) f1 = empty;
  else if (tp === 0) f1 = 0; // the harmonic mean of a zero recall or precision
  else f1 = (2 * precision * recall) / (precision + recall);
  return {
    dice: ratio(2 * tp, 2 * tp + fp + fn),
    iou: ratio(tp, tp + fp + fn),
    precision,
    recall,
    f1,
    pixel_accuracy: ratio(tp + tn, tp + fp + fn + tn),
    specificity: ratio(tn, tn + fp),
  };
}

/**
 * Evaluates predicted masks against ground-truth masks: metrics per image, pooled (from
 * the summed counts) and the mean of the per-image values, with the policy used.
 *
 * @example
 * ```ts
 * import { evaluateMasks } from "./metrics.ts";
 * const report = evaluateMasks([
 *   { id: "a", pred: [0.9, 0.1], truth: [1, 0] },
 *   { id: "b", pred: [0.1, 0.1], truth: [0, 0] },
 * ]);
 * console.assert(report.policy.empty === "one" && report.per_image[1].dice === 1);
 * console.assert(report.pooled.tp === 1 && report.pooled.tn === 3 && report.mean.dice === 1);
 * ```
 */
export function evaluateMasks(
  pairs: Iterable<{ id: string; pred: ArrayLike<number>; truth: ArrayLike<number> }>,
  options: EvaluateOptions = {},
): MaskEvaluation {
  const threshold = options.threshold ?? 0.5;
  const policy = options.emptyPolicy ?? "one";
  _checkPolicy(policy);
  const perImage: MaskEvaluation["per_image"] = [];
  const total: ConfusionCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const { id, pred, truth } of pairs) {
    let counts: ConfusionCounts;
    try {
      counts = confusionCounts(pred, truth, { threshold });
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`${error.message} (image ${id})`);
      throw error;
    }
    total.tp += counts.tp;
    total.fp += counts.fp;
    total.fn += counts.fn;
    total.tn += counts.tn;
    perImage.push({ id, ...segmentationMetrics(counts, { emptyPolicy: policy }), ...counts });
  }
  if (perImage.length === 0) {
    throw new RangeError(
      "Cannot evaluate masks as at least one pair is needed: current value is 0",
    );
  }
  const mean = {} as SegmentationMetrics;
  for (const name of METRIC_NAMES) {
    let sum = 0, n = 0;
    for (const row of perImage) {
      if (!Number.isNaN(row[name])) {
        sum += row[name];
        n++;
      }
    }
    mean[name] = n === 0 ? NaN : sum / n;
  }
  return {
    policy: { empty: policy, threshold },
    per_image: perImage,
    pooled: { ...segmentationMetrics(total, { emptyPolicy: policy }), ...total },
    mean,
  };
}

/**
 * Confusion counts and Dice of a batch of probability maps against 0/1 masks, computed
 * with tf ops and read back in one sync (for validation during training). Counts are
 * pooled over the whole batch. Accepts the threshold (default 0.5, `pred > threshold`)
 * or an options object.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { diceFromTensors } from "./metrics.ts";
 * const pred = tf.tensor4d([0.9, 0.6, 0.2, 0.1], [1, 2, 2, 1]);
 * const truth = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
 * const result = await diceFromTensors(pred, truth, 0.5);
 * console.assert(result.tp === 1 && result.fp === 1 && result.fn === 1 && result.dice === 0.5);
 * tf.dispose([pred, truth]);
 * ```
 */
export async function diceFromTensors(
  pred: tf.Tensor,
  truth: tf.Tensor,
  thresholdOrOptions: number | EvaluateOptions = {},
): Promise<ConfusionCounts & { dice: number }> {
  const options = typeof thresholdOrOptions === "number"
    ? { threshold: thresholdOrOptions }
    : thresholdOrOptions;
  const threshold = options.threshold ?? 0.5;
  _checkThreshold(threshold, "compute Dice from tensors");
  if (pred.shape.join() !== truth.shape.join()) {
    throw new TypeError(
      `Error in diceFromTensors: pred and truth must have the same shape [${truth.shape}] ` +
        `but got shape [${pred.shape}]`,
    );
  }
  const sums = tf.tidy(() => {
    const p = tf.cast(tf.greater(pred, threshold), "int32");
    const t = tf.cast(tf.greater(truth, 0.5), "int32");
    // int32 sums stay exact far beyond float32's 2^24 limit.
    return tf.stack([tf.sum(tf.mul(p, t)), tf.sum(p), tf.sum(t)]);
  });
  const [tp, predicted, actual] = await sums.data(); // GPU -> CPU sync
  sums.dispose();
  const counts = {
    tp,
    fp: predicted - tp,
    fn: actual - tp,
    tn: pred.size - predicted - actual + tp,
  };
  const { dice } = segmentationMetrics(counts, { emptyPolicy: options.emptyPolicy });
  return { ...counts, dice };
}
