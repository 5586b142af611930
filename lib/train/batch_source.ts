/**
 * Where training and evaluation rows come from: a small interface that datasets on disk,
 * in memory or in a browser worker implement.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A batch of rows: inputs and each task's targets, in the order they were asked for. */
export interface Batch {
  /** Inputs `[B, ...inputShape]`; the caller of `batch` disposes it. */
  x: tf.Tensor;
  /** Per task: class index (-1 missing) or value (NaN missing), one per row. */
  targets: Record<string, ArrayLike<number>>;
  /** A dense target (e.g. masks `[B, H, W, 1]` for segmentation); disposed with `x`. */
  y?: tf.Tensor;
}

/** Rows addressed by index 0..size-1. */
export interface BatchSource {
  /** Number of rows. */
  readonly size: number;
  /**
   * Every row's target of a task, without loading inputs (for class-balanced sampling and
   * target statistics).
   */
  targets(task: string): ArrayLike<number>;
  /** The rows at `indices`, in that order. */
  batch(indices: readonly number[]): Batch | Promise<Batch>;
}

/**
 * A source over one in-memory tensor `[N, ...]` and per-task target arrays of length N.
 * The source does not own `x`: dispose it after training.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { tensorBatchSource } from "./batch_source.ts";
 * const x = tf.tensor2d([[0], [1], [2]]);
 * const source = tensorBatchSource(x, { label: [0, 1, -1] });
 * const batch = await source.batch([2, 0]);
 * console.assert(batch.x.shape.join() === "2,1" && batch.targets.label[0] === -1);
 * tf.dispose([x, batch.x]);
 * ```
 */
export function tensorBatchSource(
  x: tf.Tensor,
  targets: Record<string, ArrayLike<number>>,
): BatchSource {
  const size = x.shape[0];
  for (const [task, values] of Object.entries(targets)) {
    if (values.length !== size) {
      throw new RangeError(
        `Cannot make a batch source as every task needs one target per row (${size}): ` +
          `current value for "${task}" has ${values.length}`,
      );
    }
  }
  return {
    size,
    targets(task: string): ArrayLike<number> {
      const values = targets[task];
      if (values === undefined) {
        throw new RangeError(
          `Cannot read targets as the task must be one of ${Object.keys(targets).join(", ")}: ` +
            `current value is "${task}"`,
        );
      }
      return values;
    },
    batch(indices: readonly number[]): Batch {
      for (const i of indices) {
        if (!Number.isInteger(i) || i < 0 || i >= size) {
          throw new RangeError(
            `Cannot read a batch as indices must be integers in [0, ${size}): current value is ${i}`,
          );
        }
      }
      const rows = tf.tidy(() => tf.gather(x, tf.tensor1d([...indices], "int32")));
      const picked = Object.fromEntries(
        Object.entries(targets).map(([task, values]) => [task, indices.map((i) => values[i])]),
      );
      return { x: rows, targets: picked };
    },
  };
}
