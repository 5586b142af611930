/**
 * Whole-field segmentation of one image with a trained U-Net, as the original recipe does
 * it (../shared/RECIPES.md): normalise, tile, predict, merge, threshold, drop regions below
 * the minimum area. Shared by `deno task segment`, the test-set evaluation of training and
 * the web app.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { SegmentConfig } from "./config_schema.ts";
import { foregroundProbability } from "./mask_objective.ts";
import { type ImageNormalization, normalizeImage } from "../image/normalization.ts";
import { labelRegions, type Region } from "./regions.ts";
import { segmentField, thresholdField } from "./segment_field.ts";
import type { ParallelTiles } from "./parallel_tiles.ts";

/** An 8-bit whole field in memory (HWC), before normalisation. */
export interface RawField {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** What {@linkcode segmentImage} returns. */
export interface FieldSegmentation {
  /** Merged foreground probability per pixel, `height * width`. */
  probability: Float32Array;
  /** 0/1 per pixel: probability > threshold, in a region of at least `min_area` pixels. */
  mask: Uint8Array;
  /** The kept regions, 1-based labels in raster order of their first pixel. */
  regions: Region[];
  /** Region label per pixel (0 background). */
  labels: Int32Array;
}

/**
 * The foreground probability of a batch of tiles `[B, S, S, C]` -> `[B, S, S, 1]`. With
 * `flips`, the mean over the tiles as they are, flipped left-right, flipped up-down and
 * both, each prediction flipped back (test-time augmentation: 4 forward passes).
 */
export function tileProbability(
  model: tf.LayersModel,
  tiles: tf.Tensor4D,
  options: { flips?: boolean } = {},
): tf.Tensor4D {
  return tf.tidy(() => {
    const predict = (x: tf.Tensor4D) =>
      foregroundProbability(model.predict(x) as tf.Tensor) as tf.Tensor4D;
    if (!options.flips) return predict(tiles);
    const variants: number[][] = [[], [2], [1], [1, 2]]; // axes of [B, H, W, C] to reverse
    const sum = variants
      .map((axes) =>
        axes.length === 0 ? predict(tiles) : tf.reverse(predict(tf.reverse(tiles, axes)), axes)
      )
      .reduce((a, b) => a.add(b));
    return sum.div(variants.length) as tf.Tensor4D;
  });
}

/** Options of {@linkcode segmentImage}. */
export interface SegmentImageOptions {
  /** The `[infer]` settings (tile, overlap, batch, merge, threshold, min_area, padding). */
  infer: SegmentConfig["infer"];
  /** The model's input side (`data.input_size` of its run). */
  inputSize: number;
  /** The normalisation the model was trained with (run.json's inputNormalization). */
  normalization: ImageNormalization;
  /** Called after each batch of tiles. */
  onTile?: (done: number, total: number) => void;
  /** Splits each batch of tiles with a worker holding this model (parallel_tiles.ts). */
  parallel?: ParallelTiles;
}

/**
 * Segments one whole field. Memory stays bounded by `infer.batch_size` tiles on the
 * backend; the field-sized arrays are on the CPU.
 *
 * @example
 * ```ts ignore
 * const result = await segmentImage(model, image, { infer: config.infer, inputSize: 256, normalization });
 * ```
 */
export async function segmentImage(
  model: tf.LayersModel,
  image: RawField,
  options: SegmentImageOptions,
): Promise<FieldSegmentation> {
  const modelChannels = model.inputs[0].shape[3];
  if (modelChannels !== image.channels) {
    throw new RangeError(
      `Cannot segment the image as the model takes ${modelChannels}-channel input: ` +
        `current value is ${image.channels} channels`,
    );
  }
  const { infer } = options;
  const normalised = normalizeImage(image.data, image.channels, options.normalization);
  const { parallel } = options;
  const probability = await segmentField(
    (tiles) =>
      parallel
        ? parallel.probability(tiles, { flips: infer.tta })
        : tf.tidy(() => tileProbability(model, tiles, { flips: infer.tta })),
    { data: normalised, width: image.width, height: image.height, channels: image.channels },
    {
      tile: infer.tile,
      overlap: infer.overlap,
      inputSize: options.inputSize,
      batchSize: infer.batch_size,
      merge: infer.merge,
      onTile: options.onTile,
    },
  );
  const thresholded = thresholdField(probability, infer.threshold);
  const { labels, regions } = labelRegions(thresholded, image.width, image.height, {
    minArea: 1,
    padding: infer.padding,
  });
  // Renumber the regions that are large enough 1..n and clear the others.
  const kept = regions.filter((r) => r.area >= infer.min_area);
  const newLabel = new Int32Array(regions.length + 1);
  kept.forEach((r, i) => (newLabel[r.label] = i + 1));
  const mask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = newLabel[labels[i]];
    labels[i] = l;
    mask[i] = l > 0 ? 1 : 0;
  }
  return { probability, mask, regions: kept.map((r, i) => ({ ...r, label: i + 1 })), labels };
}
