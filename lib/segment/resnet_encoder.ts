/**
 * The U-Net's encoder: a ResNet of basic blocks (He et al. 2016, "Deep Residual Learning
 * for Image Recognition", table 1: ResNet-18 and ResNet-34), with the widths as options.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type NormKind, UnetLayers } from "./_unet_layers.ts";

/** The encoders {@linkcode buildResnetEncoder} builds. */
export const ENCODERS = ["resnet18", "resnet34"] as const;
/** An encoder name. */
export type Encoder = (typeof ENCODERS)[number];

/** Basic blocks per stage (He et al. 2016, table 1). */
export const ENCODER_BLOCKS: Readonly<Record<Encoder, readonly number[]>> = {
  resnet18: [2, 2, 2, 2],
  resnet34: [3, 4, 6, 3],
};

/** Options of {@linkcode buildResnetEncoder}. */
export interface ResnetEncoderOptions {
  encoder: Encoder;
  /** Channels of the four stages; the stem has `widths[0]`. */
  widths: readonly number[];
  norm: NormKind;
  /** Seed of every kernel initialiser. */
  seed: number;
}

/** The encoder's feature maps, finest first. */
export interface EncoderFeatures {
  /**
   * Skip connections for the decoder: the stem at 1/2 of the input size, then stages 1-3
   * at 1/4, 1/8 and 1/16. Each `[B, H/2^k, W/2^k, C_k]`.
   */
  skips: tf.SymbolicTensor[];
  /** Stage 4 at 1/32, where the decoder starts. */
  bottleneck: tf.SymbolicTensor;
}

/**
 * Builds the encoder on a symbolic image `[B, H, W, C]` (H and W multiples of 32).
 *
 * Stem: 7x7 conv stride 2 -> norm -> ReLU (the 1/2 skip), 3x3 max-pool stride 2. Then four
 * stages of basic blocks (3x3 conv -> norm -> ReLU -> 3x3 conv -> norm, plus the shortcut,
 * then ReLU); the first block of stages 2-4 halves the resolution with stride 2 and a
 * 1x1 stride-2 conv + norm on the shortcut. Convolutions have no bias (a norm follows).
 *
 * Padding is TensorFlow's "same": for stride-2 layers the extra row and column go at the
 * bottom and right, where torchvision pads symmetrically, so torchvision weights would
 * see the image shifted by one pixel; networks trained here are unaffected.
 *
 * Every layer is named `encoder_...` (the contract lib/segment/encoder_transfer.ts relies
 * on): `encoder_stem_conv`, `encoder_stage2_block1_conv1`, `..._shortcut_conv`, ...
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildResnetEncoder } from "./resnet_encoder.ts";
 * const image = tf.input({ shape: [64, 64, 1], name: "encoder_input" });
 * const { skips, bottleneck } = buildResnetEncoder(image, {
 *   encoder: "resnet18", widths: [4, 8, 8, 8], norm: "group", seed: 0,
 * });
 * console.assert(skips.map((s) => s.shape[1]).join() === "32,16,8,4");
 * console.assert(bottleneck.shape.join() === ",2,2,8");
 * ```
 */
export function buildResnetEncoder(
  image: tf.SymbolicTensor,
  options: ResnetEncoderOptions,
): EncoderFeatures {
  const { encoder, widths, norm, seed } = options;
  const layers = new UnetLayers(seed, norm);
  // Stem.  // [B, H/2, W/2, w0]
  const stem = layers.convNormRelu(image, "encoder_stem", "", {
    filters: widths[0],
    kernel: 7,
    strides: 2,
    input: true,
  });
  let x = tf.layers.maxPooling2d({
    name: "encoder_stem_pool",
    poolSize: 3,
    strides: 2,
    padding: "same",
  }).apply(stem) as tf.SymbolicTensor; // [B, H/4, W/4, w0]
  const skips = [stem];
  ENCODER_BLOCKS[encoder].forEach((blocks, s) => {
    for (let b = 0; b < blocks; b++) {
      const strides = s > 0 && b === 0 ? 2 : 1;
      x = _basicBlock(layers, x, `encoder_stage${s + 1}_block${b + 1}`, widths[s], strides);
    }
    // Stage s+1 at 1/2^(s+2): skips 1/4, 1/8, 1/16; stage 4 is the bottleneck.
    if (s < 3) skips.push(x);
  });
  return { skips, bottleneck: x };
}

/** A basic block (He et al. 2016, fig. 2 left) with a projection shortcut when needed. */
function _basicBlock(
  layers: UnetLayers,
  x: tf.SymbolicTensor,
  prefix: string,
  filters: number,
  strides: number,
): tf.SymbolicTensor {
  const inChannels = x.shape[3] as number;
  let y = layers.convNormRelu(x, prefix, 1, { filters, kernel: 3, strides });
  y = layers.norm(layers.conv(y, `${prefix}_conv2`, { filters, kernel: 3 }), `${prefix}_norm2`);
  let shortcut = x;
  if (strides !== 1 || inChannels !== filters) {
    const projected = layers.conv(x, `${prefix}_shortcut_conv`, { filters, kernel: 1, strides });
    shortcut = layers.norm(projected, `${prefix}_shortcut_norm`);
  }
  const sum = tf.layers.add({ name: `${prefix}_add` }).apply([y, shortcut]);
  return layers.relu(sum as tf.SymbolicTensor, `${prefix}_relu`);
}
