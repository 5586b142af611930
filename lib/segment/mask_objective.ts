/**
 * The training objective of segmentation models for the shared training loop
 * (lib/train/train_model.ts): a mask loss on each batch, and validation loss plus pooled
 * pixel metrics (Dice, IoU, ... from metrics.ts, the single source of truth) over crops.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BatchSource } from "../train/batch_source.ts";
import type { EvaluationResult } from "../train/evaluate_model.ts";
import type { TrainObjective } from "../train/train_model.ts";
import { type EmptyPolicy, segmentationMetrics } from "./metrics.ts";

/** Options of {@linkcode maskObjective}. */
export interface MaskObjectiveOptions {
  /** The loss of probabilities `[B, H, W, 1 or 2]` against masks `[B, H, W, 1]`. */
  loss: (pred: tf.Tensor, truth: tf.Tensor) => tf.Scalar;
  /** Predictions above it count as foreground in the metrics (as metrics.ts). Default 0.5. */
  threshold?: number;
  /** What a ratio with a zero denominator is (e.g. Dice of two empty masks). Default "one". */
  emptyPolicy?: EmptyPolicy;
  /** Crops per evaluation batch. Default 8. */
  batchSize?: number;
}

/**
 * The foreground probability `[B, H, W, 1]` of a model output: the sigmoid channel, or
 * channel 1 of a two-channel softmax.
 */
export function foregroundProbability(pred: tf.Tensor): tf.Tensor {
  const channels = pred.shape[pred.rank - 1];
  if (pred.rank !== 4 || (channels !== 1 && channels !== 2)) {
    throw new TypeError(
      `Error in foregroundProbability: output must be [B, H, W, 1 or 2] but got shape ` +
        `[${pred.shape}]`,
    );
  }
  return channels === 1 ? pred : tf.slice(pred, [0, 0, 0, 1], [-1, -1, -1, 1]);
}

/**
 * The objective of a one-output mask model whose batches carry the masks as `batch.y`.
 * Its evaluation reports task "mask": the mean loss and the metrics of the pixel counts
 * pooled over every validation crop, with `n` crops and `mean_dice` (per-crop mean).
 *
 * @example
 * ```ts ignore
 * const objective = maskObjective({ loss: segmentationLoss("bce_dice") });
 * await trainModel({ model, data, tasks: [MASK_TASK], config, runFolder, rng, objective });
 * ```
 */
export function maskObjective(options: MaskObjectiveOptions): TrainObjective {
  const { loss, threshold = 0.5, emptyPolicy = "one", batchSize = 8 } = options;
  return {
    loss(model, batch) {
      const truth = _requireMasks(batch.y);
      const pred = model.apply(batch.x, { training: true }) as tf.Tensor; // [B, H, W, 1|2]
      const total = loss(pred, truth);
      return { total, perTask: { mask: total.clone() } };
    },
    async evaluate(model, source: BatchSource): Promise<EvaluationResult> {
      let lossSum = 0;
      const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
      let diceSum = 0;
      for (let start = 0; start < source.size; start += batchSize) {
        const indices = Array.from(
          { length: Math.min(batchSize, source.size - start) },
          (_, i) => start + i,
        );
        const batch = await source.batch(indices);
        const truth = _requireMasks(batch.y);
        // Per crop: [tp, fp, fn, tn], then the batch loss.
        const [perCrop, batchLoss] = tf.tidy(() => {
          const probs = model.apply(batch.x, { training: false }) as tf.Tensor;
          const fg = foregroundProbability(probs);
          const p = fg.greater(threshold).toFloat(); // as metrics.ts: pred > threshold
          const t = truth.greater(0.5).toFloat();
          const axes = [1, 2, 3];
          const tp = p.mul(t).sum(axes);
          const fp = p.sum(axes).sub(tp);
          const fn = t.sum(axes).sub(tp);
          const total = p.shape.slice(1).reduce((a, b) => a * b, 1);
          const tn = tf.scalar(total).sub(tp).sub(fp).sub(fn);
          return [tf.stack([tp, fp, fn, tn], 1), loss(probs, truth)];
        });
        // GPU-CPU sync: one read of the counts and one of the loss per batch.
        const values = await perCrop.data();
        lossSum += (await batchLoss.data())[0] * indices.length;
        tf.dispose([perCrop, batchLoss, batch.x, truth]);
        for (let i = 0; i < indices.length; i++) {
          const c = {
            tp: values[4 * i],
            fp: values[4 * i + 1],
            fn: values[4 * i + 2],
            tn: values[4 * i + 3],
          };
          counts.tp += c.tp;
          counts.fp += c.fp;
          counts.fn += c.fn;
          counts.tn += c.tn;
          diceSum += segmentationMetrics(c, { emptyPolicy }).dice;
        }
      }
      const n = source.size;
      const meanLoss = n > 0 ? lossSum / n : NaN;
      return {
        loss: meanLoss,
        tasks: {
          mask: {
            n,
            ...segmentationMetrics(counts, { emptyPolicy }),
            mean_dice: n > 0 ? diceSum / n : NaN,
            loss: meanLoss,
          },
        },
      };
    },
  };
}

function _requireMasks(y: tf.Tensor | undefined): tf.Tensor {
  if (y === undefined || y.rank !== 4) {
    throw new TypeError(
      `Cannot compute a mask loss as batches must carry masks y [B, H, W, 1]: current value ` +
        `is ${y === undefined ? "none" : `shape [${y.shape}]`}`,
    );
  }
  return y;
}
