/**
 * Segmentation losses on probabilities (the U-Net ends in sigmoid or softmax): binary
 * cross-entropy, soft Dice, their weighted sum, and Tversky.
 *
 * Every loss takes `pred [B, H, W, 1]` (sigmoid: the foreground probability) or
 * `[B, H, W, 2]` (softmax: channel 1 is the foreground) and `truth [B, H, W, 1]` (0/1
 * floats), and returns the mean over the batch as a scalar.
 *
 * Dice and Tversky take one ratio over the whole batch by default, as
 * segmentation_models_pytorch's `DiceLoss` in binary mode does; `reduction: "image"` takes
 * one per image and averages them, so each image weighs the same whatever its foreground
 * area, but crops without foreground then make the loss jump (see `DiceOptions`). With
 * `smooth` s > 0 an image whose truth and prediction are both empty scores a loss of 0.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before logs, as Keras does. */
export const EPSILON = 1e-7;

/** Options of {@linkcode softDiceLoss}. */
export interface DiceOptions {
  /** Added to the numerator and denominator. Default 1. */
  smooth?: number;
  /**
   * What one Dice ratio is taken over: "batch" sums the pixels of every image of the batch
   * first (segmentation_models_pytorch's DiceLoss does this); "image" takes one ratio per
   * image and averages them. Default "batch": per image, a crop without foreground scores
   * ~1 for any stray probability mass, which makes the loss jump between 0 and 1 from batch
   * to batch when many crops are empty (measured on the glomeruli crops).
   */
  reduction?: DiceReduction;
}

/** Over what a Dice or Tversky ratio is taken. */
export type DiceReduction = "batch" | "image";

/** Options of {@linkcode tverskyLoss}. */
export interface TverskyOptions {
  /** Weight of false positives. Default 0.5. */
  alpha?: number;
  /** Weight of false negatives. Default 0.5. */
  beta?: number;
  /** Added to the numerator and denominator. Default 1. */
  smooth?: number;
  /** As {@linkcode DiceOptions.reduction}. Default "batch". */
  reduction?: DiceReduction;
}

/** Options of {@linkcode bceDiceLoss}. */
export interface BceDiceOptions extends DiceOptions {
  /** Default 1. */
  bceWeight?: number;
  /** Default 1. */
  diceWeight?: number;
}

/** The losses {@linkcode segmentationLoss} makes. */
export const SEGMENTATION_LOSSES = ["bce", "dice", "bce_dice", "tversky"] as const;
/** A loss name. */
export type SegmentationLossName = (typeof SEGMENTATION_LOSSES)[number];
/** Options of any loss {@linkcode segmentationLoss} makes (each reads its own). */
export type SegmentationLossOptions = BceDiceOptions & TverskyOptions;
/** A loss: probabilities and 0/1 truth to a scalar. */
export type SegmentationLossFn = (pred: tf.Tensor, truth: tf.Tensor) => tf.Scalar;

/**
 * Binary cross-entropy, the mean over pixels and images. One channel: -(t log p +
 * (1 - t) log(1 - p)) with p clipped to [1e-7, 1 - 1e-7]. Two channels: Keras's
 * categorical cross-entropy with the one-hot truth (t for channel 1, 1 - t for channel
 * 0): the channels are renormalised to sum 1, each clipped, -(t log p1 + (1 - t) log p0).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { binaryCrossEntropy } from "./losses.ts";
 * const pred = tf.tensor4d([0.5, 0.5], [1, 1, 2, 1]);
 * const truth = tf.tensor4d([1, 0], [1, 1, 2, 1]);
 * const loss = binaryCrossEntropy(pred, truth);
 * console.assert(Math.abs(loss.dataSync()[0] - Math.LN2) < 1e-6);
 * tf.dispose([pred, truth, loss]);
 * ```
 */
export function binaryCrossEntropy(pred: tf.Tensor, truth: tf.Tensor): tf.Scalar {
  _checkShapes("binaryCrossEntropy", pred, truth);
  return tf.tidy(() => {
    if (pred.shape[3] === 1) {
      const p = pred.clipByValue(EPSILON, 1 - EPSILON);
      const pixel = truth.mul(p.log()).add(tf.sub(1, truth).mul(tf.sub(1, p).log()));
      return pixel.mean().neg() as tf.Scalar;
    }
    const p = pred.div(pred.sum(-1, true)).clipByValue(EPSILON, 1 - EPSILON); // [B, H, W, 2]
    const [p0, p1] = tf.split(p, 2, -1);
    const pixel = truth.mul(p1.log()).add(tf.sub(1, truth).mul(p0.log()));
    return pixel.mean().neg() as tf.Scalar;
  });
}

/**
 * Soft Dice loss over the batch (or per image, averaged):
 * 1 - (2 sum(p t) + s) / (sum p + sum t + s) (Milletari et al. 2016, "V-Net", eq. 1, with
 * the first powers and smoothing of most implementations).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { softDiceLoss } from "./losses.ts";
 * const pred = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
 * const truth = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
 * const loss = softDiceLoss(pred, truth, { smooth: 1 }); // 1 - (2 + 1) / (2 + 1 + 1)
 * console.assert(Math.abs(loss.dataSync()[0] - 0.25) < 1e-6);
 * tf.dispose([pred, truth, loss]);
 * ```
 */
export function softDiceLoss(
  pred: tf.Tensor,
  truth: tf.Tensor,
  options: DiceOptions = {},
): tf.Scalar {
  const smooth = _nonNegative("softDiceLoss", "smooth", options.smooth ?? 1);
  _checkShapes("softDiceLoss", pred, truth);
  return tf.tidy(() => {
    const p = _foreground(pred);
    const axes = _ratioAxes("softDiceLoss", options.reduction);
    const overlap = p.mul(truth).sum(axes); // [B] per image, or a scalar per batch
    const total = p.sum(axes).add(truth.sum(axes));
    const dice = overlap.mul(2).add(smooth).div(total.add(smooth));
    return tf.sub(1, dice).mean() as tf.Scalar;
  });
}

/**
 * `bceWeight` x {@linkcode binaryCrossEntropy} + `diceWeight` x {@linkcode softDiceLoss}.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { bceDiceLoss } from "./losses.ts";
 * const pred = tf.tensor4d([0.9, 0.1], [1, 1, 2, 1]);
 * const truth = tf.tensor4d([1, 0], [1, 1, 2, 1]);
 * const loss = bceDiceLoss(pred, truth, { bceWeight: 1, diceWeight: 0.5 });
 * console.assert(loss.dataSync()[0] > 0);
 * tf.dispose([pred, truth, loss]);
 * ```
 */
export function bceDiceLoss(
  pred: tf.Tensor,
  truth: tf.Tensor,
  options: BceDiceOptions = {},
): tf.Scalar {
  const bceWeight = _nonNegative("bceDiceLoss", "bceWeight", options.bceWeight ?? 1);
  const diceWeight = _nonNegative("bceDiceLoss", "diceWeight", options.diceWeight ?? 1);
  return tf.tidy(() =>
    binaryCrossEntropy(pred, truth).mul(bceWeight).add(
      softDiceLoss(pred, truth, options).mul(diceWeight),
    ) as tf.Scalar
  );
}

/**
 * Tversky loss over the batch (or per image, averaged) (Salehi et al. 2017, "Tversky loss
 * function for image segmentation", eq. 3): 1 - (TP + s) / (TP + alpha FP + beta FN + s)
 * with TP = sum(p t), FP = sum(p (1 - t)), FN = sum((1 - p) t). alpha = beta = 0.5 is
 * the Dice loss; beta > alpha penalises missed foreground more.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { tverskyLoss } from "./losses.ts";
 * const pred = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
 * const truth = tf.tensor4d([1, 1, 0, 0], [1, 2, 2, 1]);
 * // TP 1, FP 1, FN 1: 1 - (1 + 1) / (1 + 0.3 + 0.7 + 1)
 * const loss = tverskyLoss(pred, truth, { alpha: 0.3, beta: 0.7, smooth: 1 });
 * console.assert(Math.abs(loss.dataSync()[0] - 1 / 3) < 1e-6);
 * tf.dispose([pred, truth, loss]);
 * ```
 */
export function tverskyLoss(
  pred: tf.Tensor,
  truth: tf.Tensor,
  options: TverskyOptions = {},
): tf.Scalar {
  const alpha = _nonNegative("tverskyLoss", "alpha", options.alpha ?? 0.5);
  const beta = _nonNegative("tverskyLoss", "beta", options.beta ?? 0.5);
  const smooth = _nonNegative("tverskyLoss", "smooth", options.smooth ?? 1);
  _checkShapes("tverskyLoss", pred, truth);
  return tf.tidy(() => {
    const p = _foreground(pred);
    const axes = _ratioAxes("tverskyLoss", options.reduction);
    const tp = p.mul(truth).sum(axes); // [B] per image, or a scalar per batch
    const fp = p.mul(tf.sub(1, truth)).sum(axes);
    const fn = tf.sub(1, p).mul(truth).sum(axes);
    const denominator = tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(smooth);
    return tf.sub(1, tp.add(smooth).div(denominator)).mean() as tf.Scalar;
  });
}

/**
 * The loss named `name`, with its options bound.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { segmentationLoss } from "./losses.ts";
 * const loss = segmentationLoss("tversky", { alpha: 0.3, beta: 0.7 });
 * const pred = tf.tensor4d([0.8, 0.2], [1, 1, 2, 1]);
 * const truth = tf.tensor4d([1, 0], [1, 1, 2, 1]);
 * const value = loss(pred, truth);
 * console.assert(value.shape.length === 0);
 * tf.dispose([pred, truth, value]);
 * ```
 */
export function segmentationLoss(
  name: SegmentationLossName,
  options: SegmentationLossOptions = {},
): SegmentationLossFn {
  switch (name) {
    case "bce":
      return (pred, truth) => binaryCrossEntropy(pred, truth);
    case "dice":
      return (pred, truth) => softDiceLoss(pred, truth, options);
    case "bce_dice":
      return (pred, truth) => bceDiceLoss(pred, truth, options);
    case "tversky":
      return (pred, truth) => tverskyLoss(pred, truth, options);
  }
  throw new RangeError(
    `Cannot make a segmentation loss as the name must be one of ` +
      `${SEGMENTATION_LOSSES.join(", ")}: current value is ${JSON.stringify(name)}`,
  );
}

/** The foreground probability `[B, H, W, 1]`: the only channel, or channel 1 of two. */
function _foreground(pred: tf.Tensor): tf.Tensor {
  return pred.shape[3] === 1 ? pred : pred.slice([0, 0, 0, 1], [-1, -1, -1, 1]);
}

function _checkShapes(op: string, pred: tf.Tensor, truth: tf.Tensor): void {
  const [b, h, w, c] = pred.shape;
  if (pred.rank !== 4 || (c !== 1 && c !== 2)) {
    throw new TypeError(
      `Error in ${op}: pred must be [B, H, W, 1 or 2] but got shape [${pred.shape}]`,
    );
  }
  const t = truth.shape;
  if (truth.rank !== 4 || t[0] !== b || t[1] !== h || t[2] !== w || t[3] !== 1) {
    throw new TypeError(
      `Error in ${op}: truth must be [B, H, W, 1] = [${b}, ${h}, ${w}, 1] as pred but got ` +
        `shape [${t}]`,
    );
  }
}

function _nonNegative(op: string, field: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(
      `Cannot compute ${op} as ${field} must be a finite number >= 0: current value is ${value}`,
    );
  }
  return value;
}

function _ratioAxes(caller: string, reduction: DiceReduction = "batch"): number[] {
  if (reduction !== "batch" && reduction !== "image") {
    throw new RangeError(
      `Cannot compute ${caller} as reduction must be "batch" or "image": current value is ` +
        `${JSON.stringify(reduction)}`,
    );
  }
  return reduction === "batch" ? [0, 1, 2, 3] : [1, 2, 3];
}
