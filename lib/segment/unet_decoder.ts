/**
 * The U-Net's decoder and head (Ronneberger et al. 2015, "U-Net", fig. 1; the block layout
 * of segmentation_models_pytorch's `Unet`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type NormKind, UnetLayers } from "./_unet_layers.ts";
import type { EncoderFeatures } from "./resnet_encoder.ts";
import { upsampleNearest2xLayer } from "./upsample_nearest.ts";

/** How a decoder block doubles the resolution. */
export const DECODERS = ["upsample", "transposed"] as const;
/** A decoder kind. */
export type Decoder = (typeof DECODERS)[number];

/** The head's output: one sigmoid probability, or a two-channel softmax. */
export const UNET_OUTPUTS = ["sigmoid", "softmax"] as const;
/** A head output. */
export type UnetOutput = (typeof UNET_OUTPUTS)[number];

/** Options of {@linkcode buildUnetDecoder}. */
export interface UnetDecoderOptions {
  decoder: Decoder;
  /** Output channels of the five decoder blocks, coarsest first. */
  decoderWidths: readonly number[];
  output: UnetOutput;
  norm: NormKind;
  /** Seed of every kernel initialiser. */
  seed: number;
}

/**
 * smp's default decoder widths scaled to the encoder's: smp pairs ResNet widths
 * [64, 128, 256, 512] with decoder channels [256, 128, 64, 32, 16], i.e.
 * [w2, w1, w0, w0/2, w0/4] (at least one channel each).
 *
 * @example
 * ```ts
 * import { defaultDecoderWidths } from "./unet_decoder.ts";
 * console.assert(defaultDecoderWidths([16, 32, 64, 128]).join() === "64,32,16,8,4");
 * ```
 */
export function defaultDecoderWidths(widths: readonly number[]): number[] {
  const w0 = widths[0];
  return [
    widths[2],
    widths[1],
    w0,
    Math.max(1, Math.round(w0 / 2)),
    Math.max(1, Math.round(w0 / 4)),
  ];
}

/**
 * Builds the decoder on the encoder's features and returns the mask `[B, H, W, 1 or 2]`.
 *
 * Five blocks take the bottleneck (1/32) back to full size: 1/16, 1/8, 1/4, 1/2 (each
 * concatenating the encoder skip of that resolution) and 1/1 (no skip). A block doubles
 * the resolution ("upsample": nearest-neighbour 2x as smp, with lib/segment/
 * upsample_nearest.ts, whose gradient is right on wasm; "transposed": a 2x2 stride-2
 * transposed conv with bias, to the block's width, as the original U-Net's up-conv), then
 * concatenates the skip and applies two 3x3 conv -> norm -> ReLU. The head is a 1x1 conv
 * (with bias, Glorot init) to 1 channel + sigmoid or 2 channels + softmax, named "mask".
 *
 * Layers are named `decoder_block<k>_up`, `_concat`, `_conv1`, `_norm1`, `_relu1`, ...
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildResnetEncoder } from "./resnet_encoder.ts";
 * import { buildUnetDecoder } from "./unet_decoder.ts";
 * const image = tf.input({ shape: [32, 32, 1], name: "encoder_input" });
 * const features = buildResnetEncoder(image, {
 *   encoder: "resnet18", widths: [4, 8, 8, 8], norm: "group", seed: 0,
 * });
 * const mask = buildUnetDecoder(features, {
 *   decoder: "upsample", decoderWidths: [8, 8, 4, 2, 1], output: "softmax", norm: "group", seed: 0,
 * });
 * console.assert(mask.shape.join() === ",32,32,2");
 * ```
 */
export function buildUnetDecoder(
  features: EncoderFeatures,
  options: UnetDecoderOptions,
): tf.SymbolicTensor {
  const { decoder, decoderWidths, output, norm, seed } = options;
  const layers = new UnetLayers(seed, norm); // seeds derive from the layer names
  const skips = [...features.skips].reverse(); // 1/16, 1/8, 1/4, 1/2
  let x = features.bottleneck; // [B, H/32, W/32, w3]
  decoderWidths.forEach((filters, k) => {
    const prefix = `decoder_block${k + 1}`;
    x = decoder === "upsample"
      ? upsampleNearest2xLayer({ name: `${prefix}_up` }).apply(x) as tf.SymbolicTensor
      : layers.conv(x, `${prefix}_up`, {
        filters,
        kernel: 2,
        strides: 2,
        bias: true,
        transposed: true,
      });
    const skip = skips[k] as tf.SymbolicTensor | undefined;
    if (skip !== undefined) {
      const concat = tf.layers.concatenate({ name: `${prefix}_concat`, axis: -1 });
      x = concat.apply([x, skip]) as tf.SymbolicTensor; // upsampled channels first
    }
    // [B, H/2^(4-k), W/2^(4-k), filters]
    x = layers.convNormRelu(x, prefix, 1, { filters, kernel: 3 });
    x = layers.convNormRelu(x, prefix, 2, { filters, kernel: 3 });
  });
  const classes = output === "sigmoid" ? 1 : 2;
  return layers.conv(x, "mask", {
    filters: classes,
    kernel: 1,
    bias: true,
    activation: output,
    init: "glorot",
  }); // [B, H, W, classes]
}
