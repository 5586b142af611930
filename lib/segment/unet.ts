/**
 * A U-Net with a ResNet encoder for binary segmentation (the layout of
 * segmentation_models_pytorch's `Unet(encoder_name="resnet18" | "resnet34")`), built with
 * the tfjs-layers functional API so it saves and loads in the TF.js Layers format.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NormKind } from "./_unet_layers.ts";
import { buildResnetEncoder, type Encoder, ENCODERS } from "./resnet_encoder.ts";
import {
  buildUnetDecoder,
  type Decoder,
  DECODERS,
  defaultDecoderWidths,
  UNET_OUTPUTS,
  type UnetOutput,
} from "./unet_decoder.ts";

export type { Decoder, Encoder, NormKind, UnetOutput };

/** Options of {@linkcode buildUnet}; every field has a default. */
export interface UnetOptions {
  /** Height and width of the square input, a multiple of 32. Default 256. */
  inputSize?: number;
  /** 1 (grey, e.g. EM) or 3 (RGB, e.g. histology). Default 1. */
  inputChannels?: 1 | 3;
  /** Default "resnet18". */
  encoder?: Encoder;
  /** Channels of the four encoder stages; the stem has `widths[0]`. Default [16, 32, 64, 128]. */
  widths?: readonly number[];
  /** Default "upsample". */
  decoder?: Decoder;
  /** Channels of the five decoder blocks. Default {@linkcode defaultDecoderWidths}. */
  decoderWidths?: readonly number[];
  /** Default "sigmoid". */
  output?: UnetOutput;
  /**
   * Default "group". GroupNorm normalises each example on its own, so it behaves the same
   * at any batch size and in training and inference; BatchNorm's batch statistics are
   * noisy at the batch sizes of 2-8 that fit a CPU step at 256x256 (Wu & He 2018, fig. 1:
   * BatchNorm's error rises steeply below batch 8, GroupNorm's does not).
   */
  norm?: NormKind;
  /** Seed of every initialiser: equal options give equal weights. Default 0. */
  seed?: number;
}

/** {@linkcode UnetOptions} with the defaults filled in. */
export type ResolvedUnetOptions = Required<UnetOptions>;

/** The name of the U-Net's output layer. */
export const MASK_LAYER = "mask";

/**
 * Fills in the defaults of `options` and checks them.
 *
 * @example
 * ```ts
 * import { resolveUnetOptions } from "./unet.ts";
 * const resolved = resolveUnetOptions({ widths: [8, 16, 32, 64] });
 * console.assert(resolved.decoderWidths.join() === "32,16,8,4,2");
 * ```
 */
export function resolveUnetOptions(options: UnetOptions = {}): ResolvedUnetOptions {
  const widths = options.widths ?? [16, 32, 64, 128];
  const resolved: ResolvedUnetOptions = {
    inputSize: options.inputSize ?? 256,
    inputChannels: options.inputChannels ?? 1,
    encoder: options.encoder ?? "resnet18",
    widths,
    decoder: options.decoder ?? "upsample",
    decoderWidths: options.decoderWidths ?? defaultDecoderWidths(widths),
    output: options.output ?? "sigmoid",
    norm: options.norm ?? "group",
    seed: options.seed ?? 0,
  };
  _check(resolved);
  return resolved;
}

/**
 * Builds the U-Net: input `[B, S, S, C]` (layer "encoder_input"), output the foreground
 * probability `[B, S, S, 1]` (sigmoid) or the two class probabilities `[B, S, S, 2]`
 * (softmax, channel 1 = foreground), layer "mask".
 *
 * The encoder (lib/segment/resnet_encoder.ts) downsamples to 1/32 and keeps skips at 1/2,
 * 1/4, 1/8 and 1/16; five decoder blocks (lib/segment/unet_decoder.ts) come back to 1/1.
 * Naming contract: every encoder layer's name starts with "encoder_", every decoder
 * layer's with "decoder_", and the head is "mask" (lib/segment/encoder_transfer.ts
 * copies and freezes encoders by these names).
 *
 * Importing this module registers the model's custom layers (GroupNorm,
 * UpsampleNearest2x), so `tf.loadLayersModel` can read a saved U-Net after it.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildUnet } from "./unet.ts";
 * const model = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8], seed: 1 });
 * const x = tf.randomUniform([2, 32, 32, 1]);
 * const mask = model.predict(x) as tf.Tensor; // [B, H, W, 1], probabilities
 * console.assert(mask.shape.join() === "2,32,32,1");
 * tf.dispose([x, mask]);
 * model.dispose();
 * ```
 */
export function buildUnet(options: UnetOptions = {}): tf.LayersModel {
  const o = resolveUnetOptions(options);
  const image = tf.input({
    shape: [o.inputSize, o.inputSize, o.inputChannels],
    name: "encoder_input",
  });
  const features = buildResnetEncoder(image, o);
  const mask = buildUnetDecoder(features, o);
  return tf.model({ inputs: image, outputs: mask, name: `unet_${o.encoder}` });
}

function _check(o: ResolvedUnetOptions): void {
  const positiveInts = (v: readonly number[]) => v.every((n) => Number.isInteger(n) && n > 0);
  if (!Number.isInteger(o.inputSize) || o.inputSize < 32 || o.inputSize % 32 !== 0) {
    throw new RangeError(
      `Cannot build the U-Net as inputSize must be a positive multiple of 32 (the encoder ` +
        `downsamples 5 times): current value is ${o.inputSize}`,
    );
  }
  if (o.inputChannels !== 1 && o.inputChannels !== 3) {
    throw new RangeError(
      `Cannot build the U-Net as inputChannels must be 1 or 3: current value is ${o.inputChannels}`,
    );
  }
  const choices: [string, unknown, readonly string[]][] = [
    ["encoder", o.encoder, ENCODERS],
    ["decoder", o.decoder, DECODERS],
    ["output", o.output, UNET_OUTPUTS],
    ["norm", o.norm, ["group", "batch"]],
  ];
  for (const [field, value, allowed] of choices) {
    if (!allowed.includes(value as string)) {
      throw new RangeError(
        `Cannot build the U-Net as ${field} must be one of ${allowed.join(", ")}: ` +
          `current value is ${JSON.stringify(value)}`,
      );
    }
  }
  if (!Array.isArray(o.widths) || o.widths.length !== 4 || !positiveInts(o.widths)) {
    throw new RangeError(
      `Cannot build the U-Net as widths must be 4 positive integers (one per encoder ` +
        `stage): current value is ${JSON.stringify(o.widths)}`,
    );
  }
  const dw = o.decoderWidths;
  if (!Array.isArray(dw) || dw.length !== 5 || !positiveInts(dw)) {
    throw new RangeError(
      `Cannot build the U-Net as decoderWidths must be 5 positive integers (one per ` +
        `decoder block): current value is ${JSON.stringify(dw)}`,
    );
  }
  if (!Number.isFinite(o.seed)) {
    throw new RangeError(
      `Cannot build the U-Net as seed must be finite: current value is ${o.seed}`,
    );
  }
}
