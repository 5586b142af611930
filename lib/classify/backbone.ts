/**
 * The shared trunks of the classifier: `cnn_light` for spectrogram images and `cnn_1d` for
 * raw `[channels, samples]` windows, the same pattern in 2-D and 1-D.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { groupNorm } from "../nn/group_norm.ts";
import { seededDropout } from "../nn/seeded_dropout.ts";
import type { Rng } from "../runtime/rng.ts";

/** The backbones {@linkcode buildBackbone} builds. */
export const BACKBONES = ["cnn_light", "cnn_1d"] as const;
/** A backbone name. */
export type Backbone = (typeof BACKBONES)[number];

/** Activations the blocks may use (tfjs-layers identifiers; "gelu" is the exact erf form). */
export const BLOCK_ACTIVATIONS = [
  "gelu",
  "gelu_new",
  "relu",
  "elu",
  "swish",
  "mish",
  "tanh",
] as const;
/** A block activation. */
export type BlockActivation = (typeof BLOCK_ACTIVATIONS)[number];

/**
 * How the trunk's last feature map becomes one vector. "global" averages over everything
 * (the original cnn_light). "rows" averages over the image's width only and keeps each
 * row: in our spectrogram images rows are frequencies and columns are time x channel, so
 * this keeps *where* in the spectrum a feature fires, which global averaging throws away
 * (a model with global pooling could not even overfit 16 synthetic rest/task images whose
 * classes differ in theta and beta band power; with "rows" it learns them in a few steps).
 * For cnn_1d both are the same.
 */
export const POOLINGS = ["global", "rows"] as const;
export type Pooling = (typeof POOLINGS)[number];

/** Options of {@linkcode buildBackbone}. */
export interface BackboneOptions {
  backbone: Backbone;
  /** Filters of the stem; block i (1-based) has `channels * 2^i`. */
  channels: number;
  /** Number of blocks after the stem. */
  depth: number;
  /** Convolutions per block. */
  layerRepeats: number;
  /** Dropout rate after the stem and after each block. */
  dropout: number;
  /** Activation after each block convolution. */
  activation: BlockActivation;
  /** Feature pooling at the end of the trunk. Default "global". */
  pooling?: Pooling;
  /** Draws every initialiser and dropout seed, in build order. */
  rng: Rng;
}

/**
 * Builds the trunk on a symbolic input and returns its features `[B, F]`.
 *
 * `cnn_light` (input `[B, H, W, C]`): 5x5 stem conv -> GELU -> GroupNorm(1) -> dropout ->
 * 2x2 avg-pool, then `depth` blocks of [GroupNorm(1), `layerRepeats` x (3x3 conv +
 * activation), dropout, 2x2 avg-pool], then global average pooling.
 *
 * `cnn_1d` (input `[B, channels, samples]`): the same with 1-D convolutions over time
 * (kernel 5 in the stem, 3 in blocks) and pools of 2, after moving EEG channels last.
 *
 * Convolutions use "same" padding and Glorot-uniform kernels seeded from `rng`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildBackbone } from "./backbone.ts";
 * import { Rng } from "../runtime/rng.ts";
 * const input = tf.input({ shape: [16, 16, 1] });
 * const features = buildBackbone(input, {
 *   backbone: "cnn_light", channels: 4, depth: 2, layerRepeats: 1, dropout: 0.1,
 *   activation: "gelu", rng: new Rng(0),
 * });
 * console.assert(features.shape.join() === ",16"); // [B, 4 * 2^2]
 * ```
 */
export function buildBackbone(
  input: tf.SymbolicTensor,
  options: BackboneOptions,
): tf.SymbolicTensor {
  const { backbone, channels, depth, layerRepeats, dropout, activation, rng } = options;
  const is2d = backbone === "cnn_light";
  const shape = input.shape.slice(1) as number[];
  _checkInput(backbone, shape, depth);
  const init = () => tf.initializers.glorotUniform({ seed: rng.seed() });
  const conv = (name: string, filters: number, kernel: number, act: BlockActivation) => {
    const args = {
      name,
      filters,
      kernelSize: kernel,
      padding: "same" as const,
      activation: act,
      kernelInitializer: init(),
      biasInitializer: "zeros" as const,
    };
    return is2d ? tf.layers.conv2d(args) : tf.layers.conv1d(args);
  };
  const pool = (name: string) =>
    is2d
      ? tf.layers.averagePooling2d({ name, poolSize: 2, strides: 2 })
      : tf.layers.averagePooling1d({ name, poolSize: 2, strides: 2 });
  const drop = (name: string) => seededDropout({ name, rate: dropout, seed: rng.seed() });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) =>
    layer.apply(x) as tf.SymbolicTensor;

  // cnn_1d: [B, channels, samples] -> [B, samples, channels], convolving over time.
  let x = is2d ? input : apply(tf.layers.permute({ name: "to_time_major", dims: [2, 1] }), input);
  // Stem: conv -> GELU -> GroupNorm(1) -> dropout -> pool.  // [B, H/2, W/2, channels]
  x = apply(conv("stem_conv", channels, 5, "gelu"), x);
  x = apply(groupNorm({ name: "stem_norm", groups: 1 }), x);
  x = apply(drop("stem_dropout"), x);
  x = apply(pool("stem_pool"), x);
  for (let block = 1; block <= depth; block++) {
    // [B, H/2^(block+1), W/2^(block+1), channels * 2^block] after the pool.
    x = apply(groupNorm({ name: `block${block}_norm`, groups: 1 }), x);
    for (let r = 1; r <= layerRepeats; r++) {
      x = apply(conv(`block${block}_conv${r}`, channels * 2 ** block, 3, activation), x);
    }
    x = apply(drop(`block${block}_dropout`), x);
    x = apply(pool(`block${block}_pool`), x);
  }
  if (is2d && options.pooling === "rows") {
    // [B, H', W', F] -> average over W' -> [B, H', 1, F] -> [B, H' * F]
    const width = x.shape[2] as number;
    x = apply(
      tf.layers.averagePooling2d({ name: "row_pool", poolSize: [1, width], strides: [1, width] }),
      x,
    );
    return apply(tf.layers.flatten({ name: "row_features" }), x);
  }
  const globalPool = is2d
    ? tf.layers.globalAveragePooling2d({ name: "global_pool" })
    : tf.layers.globalAveragePooling1d({ name: "global_pool" });
  return apply(globalPool, x); // [B, channels * 2^depth]
}

function _checkInput(backbone: Backbone, shape: number[], depth: number): void {
  const is2d = backbone === "cnn_light";
  const rank = is2d ? 3 : 2;
  const form = is2d ? "[height, width, channels]" : "[channels, samples]";
  if (shape.length !== rank || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(
      `Cannot build the ${backbone} backbone as inputShape must be ${form}: current value is ` +
        `[${shape}]`,
    );
  }
  // Each of the depth + 1 pools halves the spatial size; it must stay at least 1.
  const smallest = is2d ? Math.min(shape[0], shape[1]) : shape[1];
  const needed = 2 ** (depth + 1);
  if (smallest < needed) {
    throw new RangeError(
      `Cannot build the ${backbone} backbone as ${depth + 1} poolings need a spatial size of ` +
        `at least ${needed}: current value is ${smallest}`,
    );
  }
}
