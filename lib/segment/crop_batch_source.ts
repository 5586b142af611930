/**
 * Batch sources for segmentation training: random augmented crops for training, the fixed
 * crop grid for validation. Both give inputs `x` [B, S, S, C] (normalised float32) and a
 * dense target `y` [B, S, S, 1] (0/1 float32); both tensors belong to the caller.
 *
 * There are no per-row class targets in segmentation: `targets(task)` is zeros and
 * `batch().targets` is `{}`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Batch, BatchSource } from "../train/batch_source.ts";
import { Rng } from "../runtime/rng.ts";
import {
  type CropOptions,
  type CropWindow,
  fixedCrops,
  renderCrop,
  sampleCrop,
} from "../image/crop_sampler.ts";
import type { ImageNormalization } from "../image/normalization.ts";
import type { SegSample } from "./seg_dataset.ts";

/** A batch with its dense target. */
export interface SegBatch extends Batch {
  /** Masks `[B, S, S, 1]`, 0/1 float32; the caller disposes it. */
  y: tf.Tensor;
}

/** A segmentation batch source: every batch has `y`. */
export interface SegBatchSource extends BatchSource {
  batch(indices: readonly number[]): SegBatch;
}

/** Options for {@linkcode randomCropSource}. */
export interface RandomCropSourceOptions {
  /** Virtual rows per epoch; row r crops sample r % samples.length, so all are seen equally. */
  length: number;
  /** Row r's crop is drawn from `new Rng(seed).fork("crop-" + r)`. */
  seed: number;
  /** How crops are drawn (see {@linkcode CropOptions}). */
  crop?: CropOptions;
}

/**
 * Random augmented crops, built on demand per batch (nothing is precomputed): each row's
 * crop is a fixed function of (seed, row index), so epochs that revisit a row see the same
 * crop, and a resumed run sees what the interrupted one would have. Vary the seed per epoch
 * for fresh crops.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { randomCropSource } from "./crop_batch_source.ts";
 * const sample = { id: "a", subject: "all", width: 8, height: 8, channels: 1 as const,
 *   image: new Uint8Array(64), mask: new Uint8Array(64) };
 * const source = randomCropSource([sample], { length: 4, seed: 1, crop: { inputSize: 4, cropSize: 4 } });
 * const batch = source.batch([0, 3]);
 * console.assert(batch.x.shape.join() === "2,4,4,1" && batch.y.shape.join() === "2,4,4,1");
 * tf.dispose([batch.x, batch.y]);
 * ```
 */
export function randomCropSource(
  samples: readonly SegSample[],
  options: RandomCropSourceOptions,
): SegBatchSource {
  const channels = _channels(samples, "randomCropSource");
  const { length } = options;
  if (!Number.isInteger(length) || length <= 0) {
    throw new RangeError(
      `Cannot make a random crop source as length must be a positive integer: current value is ${length}`,
    );
  }
  const crop = options.crop ?? {};
  const inputSize = crop.inputSize ?? 256;
  const root = new Rng(options.seed);
  return {
    size: length,
    targets: (_task: string) => new Float32Array(length),
    batch(indices: readonly number[]): SegBatch {
      _checkIndices(indices, length);
      return _render(indices.length, inputSize, channels, (row, out) => {
        const index = indices[row];
        sampleCrop(samples[index % samples.length], root.fork(`crop-${index}`), crop, out);
      });
    },
  };
}

/** Options for {@linkcode fixedCropSource}. */
export interface FixedCropSourceOptions {
  /** Window side in source pixels. Default 512. */
  cropSize?: number;
  /** Window step. Default `cropSize` (non-overlapping; last row/column flush to the edge). */
  stride?: number;
  /** Output side S. Default 256. */
  inputSize?: number;
  /** Default ImageNet. */
  norm?: ImageNormalization;
}

/** One validation crop: which sample, and its window. */
export interface FixedCrop extends CropWindow {
  sampleIndex: number;
  id: string;
}

/**
 * The deterministic validation crops: every sample's {@linkcode fixedCrops} grid, in sample
 * order, rendered without augmentation. `crops[r]` says where row r comes from.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fixedCropSource } from "./crop_batch_source.ts";
 * const sample = { id: "a", subject: "all", width: 6, height: 4, channels: 1 as const,
 *   image: new Uint8Array(24), mask: new Uint8Array(24) };
 * const source = fixedCropSource([sample], { cropSize: 4, inputSize: 2 });
 * console.assert(source.size === 2 && source.crops[1].x === 2);
 * const batch = source.batch([1]);
 * tf.dispose([batch.x, batch.y]);
 * ```
 */
export function fixedCropSource(
  samples: readonly SegSample[],
  options: FixedCropSourceOptions = {},
): SegBatchSource & { readonly crops: readonly FixedCrop[] } {
  const channels = _channels(samples, "fixedCropSource");
  const inputSize = options.inputSize ?? 256;
  const crops: FixedCrop[] = samples.flatMap((sample, sampleIndex) =>
    fixedCrops(sample, options).map((w) => ({ ...w, sampleIndex, id: sample.id }))
  );
  const renderOptions = { inputSize, norm: options.norm };
  return {
    size: crops.length,
    crops,
    targets: (_task: string) => new Float32Array(crops.length),
    batch(indices: readonly number[]): SegBatch {
      _checkIndices(indices, crops.length);
      return _render(indices.length, inputSize, channels, (row, out) => {
        const crop = crops[indices[row]];
        renderCrop(samples[crop.sampleIndex], crop, renderOptions, out);
      });
    },
  };
}

/** Renders B crops into one buffer each for x and y, then makes the two tensors. */
function _render(
  rows: number,
  inputSize: number,
  channels: number,
  draw: (row: number, out: { image: Float32Array; mask: Float32Array }) => void,
): SegBatch {
  const pixels = inputSize * inputSize;
  const x = new Float32Array(rows * pixels * channels);
  const y = new Float32Array(rows * pixels);
  for (let row = 0; row < rows; row++) {
    draw(row, {
      image: x.subarray(row * pixels * channels, (row + 1) * pixels * channels),
      mask: y.subarray(row * pixels, (row + 1) * pixels),
    });
  }
  return {
    x: tf.tensor4d(x, [rows, inputSize, inputSize, channels]), // [B, S, S, C]
    y: tf.tensor4d(y, [rows, inputSize, inputSize, 1]), // [B, S, S, 1]
    targets: {},
  };
}

function _channels(samples: readonly SegSample[], what: string): 1 | 3 {
  if (samples.length === 0) {
    throw new RangeError(`Cannot make ${what} as it needs at least one sample: current value is 0`);
  }
  const channels = samples[0].channels;
  const other = samples.find((s) => s.channels !== channels);
  if (other !== undefined) {
    throw new RangeError(
      `Cannot make ${what} as all samples must have the same channels (${channels}, ` +
        `"${samples[0].id}"): current value is ${other.channels} for "${other.id}"`,
    );
  }
  return channels;
}

function _checkIndices(indices: readonly number[], size: number): void {
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= size) {
      throw new RangeError(
        `Cannot read a batch as indices must be integers in [0, ${size}): current value is ${i}`,
      );
    }
  }
}
