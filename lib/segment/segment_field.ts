/**
 * Whole-field segmentation: a large image is cut into tiles (never squashed whole into
 * the model input), each tile resized to the model input, predicted, resized back and
 * merged into one probability field; then thresholded into a mask.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  createTileField,
  finishTileField,
  type MergeMode,
  mergeTiles,
  tileGrid,
} from "./tiling.ts";

/** A model on a batch of tiles: [B, inputSize, inputSize, C] in, probabilities [B, inputSize, inputSize, 1] out. */
export type TilePredictor = (tiles: tf.Tensor4D) => tf.Tensor4D | Promise<tf.Tensor4D>;

/** A normalised image, row-major and channel-interleaved (HWC). */
export interface FieldImage {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** Options for {@linkcode segmentField}. */
export interface SegmentFieldOptions {
  /** Tile side in pixels. Default 512. */
  tile?: number;
  /** Pixels shared by neighbouring tiles. Default 0 (stride = tile). */
  overlap?: number;
  /** The model's input side; tiles are resized to inputSize x inputSize. Default 256. */
  inputSize?: number;
  /** Tiles per `predict` call; bounds memory. Default 4. */
  batchSize?: number;
  /** How overlapping tiles combine. Default "max". */
  merge?: MergeMode;
  /** Called after each batch with the tiles done and the total. */
  onTile?: (done: number, total: number) => void;
}

function _checkPositive(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot segment the field as ${name} must be a positive integer: current value is ${value}`,
    );
  }
}

/**
 * The probability field [height * width] of a whole image, predicted tile by tile.
 *
 * 1. Tiles of `tile` px at stride `tile - overlap`, the last row and column flush with
 *    the edges ({@linkcode tileGrid}); a side shorter than `tile` is one tile.
 * 2. Each batch of `batchSize` tiles is resized to `inputSize` x `inputSize` with
 *    `tf.image.resizeBilinear(x, size, alignCorners = false, halfPixelCenters = true)`:
 *    pixel centres at +0.5, source coordinates clamped at the edges, no antialiasing.
 *    That is PyTorch's `F.interpolate(mode="bilinear", align_corners=False)` and
 *    OpenCV's `cv2.resize(INTER_LINEAR)`, the resampling such models are trained with;
 *    tfjs's default (halfPixelCenters false) would shift the mask by half a pixel.
 * 3. `predict` maps the batch to probabilities [B, inputSize, inputSize, 1], which are
 *    resized back to the tile size the same way and merged by per-pixel maximum
 *    (`merge: "max"`) or by the mean over the tiles covering a pixel (`"mean"`).
 *
 * Only one batch of tiles is alive at a time. segmentField disposes the tensor that
 * `predict` returns; `predict` must not dispose its input.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { segmentField, thresholdField } from "./segment_field.ts";
 * await tf.setBackend("cpu");
 * const width = 40, height = 30;
 * const data = Float32Array.from({ length: width * height }, (_, i) => (i % width) / width);
 * const predict = (x: tf.Tensor4D) => tf.sigmoid(x.sub(0.5).mul(20)) as tf.Tensor4D;
 * const prob = await segmentField(predict, { data, width, height, channels: 1 }, { tile: 16, inputSize: 8 });
 * const mask = thresholdField(prob, 0.75);
 * console.assert(prob.length === 1200 && mask[5] === 0 && mask[38] === 1);
 * ```
 */
export async function segmentField(
  predict: TilePredictor,
  image: FieldImage,
  options: SegmentFieldOptions = {},
): Promise<Float32Array> {
  const { data, width, height, channels } = image;
  const inputSize = options.inputSize ?? 256, batchSize = options.batchSize ?? 4;
  _checkPositive(channels, "channels");
  _checkPositive(inputSize, "inputSize");
  _checkPositive(batchSize, "batchSize");
  if (!(data instanceof Float32Array) || data.length !== width * height * channels) {
    throw new TypeError(
      `Cannot segment the field as image.data must be a Float32Array of ${width}x${height}x` +
        `${channels} values: current value is ${data?.constructor?.name} of ${data?.length}`,
    );
  }
  const tiles = tileGrid(width, height, { tile: options.tile, overlap: options.overlap });
  const field = createTileField(width, height, options.merge ?? "max");
  // Every tile has the same size (tile, or the image's side where it is smaller).
  const tileHeight = tiles[0].height, tileWidth = tiles[0].width;
  const sameSize = tileHeight === inputSize && tileWidth === inputSize;
  const rowValues = tileWidth * channels;
  for (let start = 0; start < tiles.length; start += batchSize) {
    const batch = tiles.slice(start, start + batchSize);
    const pixels = new Float32Array(batch.length * tileHeight * rowValues); // [B, h, w, C]
    batch.forEach((t, b) => {
      for (let row = 0; row < tileHeight; row++) {
        const from = ((t.y + row) * width + t.x) * channels;
        pixels.set(data.subarray(from, from + rowValues), (b * tileHeight + row) * rowValues);
      }
    });
    const input = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [batch.length, tileHeight, tileWidth, channels]);
      return sameSize ? x : tf.image.resizeBilinear(x, [inputSize, inputSize], false, true);
    }); // [B, inputSize, inputSize, C]
    let output: tf.Tensor4D | undefined;
    let values: Float32Array;
    try {
      output = await predict(input);
      const shape = output?.shape ?? [];
      if (shape.join() !== [batch.length, inputSize, inputSize, 1].join()) {
        throw new TypeError(
          `Error in segmentField: predict must return [${batch.length}, ${inputSize}, ` +
            `${inputSize}, 1] but got shape [${shape}]`,
        );
      }
      const probabilities = output;
      const back = sameSize
        ? probabilities
        : tf.tidy(() =>
          tf.image.resizeBilinear(probabilities, [tileHeight, tileWidth], false, true)
        ); // [B, h, w, 1]
      try {
        values = await back.data() as Float32Array; // GPU -> CPU sync, once per batch
      } finally {
        if (back !== output) back.dispose();
      }
    } finally {
      input.dispose();
      if (output instanceof tf.Tensor) output.dispose();
    }
    mergeTiles(field, batch, values);
    options.onTile?.(start + batch.length, tiles.length);
  }
  return finishTileField(field);
}

/**
 * The 0/1 mask of a probability field: 1 where the probability is strictly greater than
 * `threshold` (default 0.75, the Endotheliosis Quantifier's whole-field cut-off).
 *
 * @example
 * ```ts
 * import { thresholdField } from "./segment_field.ts";
 * console.assert(thresholdField([0.2, 0.75, 0.9]).join() === "0,0,1");
 * ```
 */
export function thresholdField(prob: ArrayLike<number>, threshold = 0.75): Uint8Array {
  if (!Number.isFinite(threshold)) {
    throw new RangeError(
      `Cannot threshold the field as the threshold must be a finite number: current value is ${threshold}`,
    );
  }
  const mask = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) mask[i] = prob[i] > threshold ? 1 : 0;
  return mask;
}
