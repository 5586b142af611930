/**
 * Private building blocks of the U-Net (encoder and decoder): seeded convolutions, the
 * normalisation layer, and the group-count rule the PyTorch peer repeats.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { groupNorm } from "../nn/group_norm.ts";
import { inputConv2d } from "../nn/input_conv2d.ts";
import { Rng } from "../runtime/rng.ts";

/** Normalisation after each convolution. */
export type NormKind = "group" | "batch";

/** The largest number of GroupNorm groups a layer gets (see {@linkcode normGroups}). */
export const MAX_NORM_GROUPS = 8;

/**
 * GroupNorm groups for `channels`: the largest divisor g <= 8 that leaves at least two
 * channels per group (1 if none). Eight groups is Wu & He's regime for thin layers; two
 * channels per group keeps the statistics from degenerating into instance norm at 4-8
 * channel widths. app/cli/bench/peers/unet.py and tests/segment/make_unet_goldens.py
 * repeat this rule.
 */
export function normGroups(channels: number): number {
  for (let g = MAX_NORM_GROUPS; g > 1; g--) {
    if (channels % g === 0 && channels / g >= 2) return g;
  }
  return 1;
}

/** Options of one convolution made by {@linkcode UnetLayers.conv}. */
export interface ConvSpec {
  filters: number;
  kernel: number;
  strides?: number;
  /** A bias only where no normalisation follows. Default false. */
  bias?: boolean;
  activation?: "sigmoid" | "softmax";
  /** "glorot" for the head (as smp's SegmentationHead); "he" elsewhere. Default "he". */
  init?: "he" | "glorot";
  /** A stride-2 transposed convolution (the "transposed" decoder) instead of a conv. */
  transposed?: boolean;
  /**
   * The model's first convolution, applied to the input image: an InputConv2D, which spares
   * training the unused gradient for the image (no bias, no activation).
   */
  input?: boolean;
}

/**
 * Makes the model's layers and applies them. Every kernel initialiser is seeded from the
 * model seed and the layer's name, so a layer's initial weights do not depend on which
 * other layers exist.
 */
export class UnetLayers {
  readonly #rng: Rng;
  readonly #norm: NormKind;

  constructor(seed: number, norm: NormKind) {
    this.#rng = new Rng(seed);
    this.#norm = norm;
  }

  /** A convolution with "same" padding (TF's: extra row/column at the bottom/right). */
  conv(x: tf.SymbolicTensor, name: string, spec: ConvSpec): tf.SymbolicTensor {
    const seed = this.#rng.fork(name).seed();
    const args = {
      name,
      filters: spec.filters,
      kernelSize: spec.kernel,
      strides: spec.strides ?? 1,
      padding: "same" as const,
      useBias: spec.bias ?? false,
      activation: spec.activation,
      kernelInitializer: spec.init === "glorot"
        ? tf.initializers.glorotUniform({ seed })
        : tf.initializers.heNormal({ seed }),
      biasInitializer: "zeros" as const,
    };
    if (spec.input) {
      if (args.useBias || spec.activation !== undefined || spec.transposed) {
        throw new Error(
          `Error in UnetLayers.conv "${name}": an input conv has no bias or activation`,
        );
      }
      const { filters, kernelSize, strides, padding, kernelInitializer } = args;
      return inputConv2d({ name, filters, kernelSize, strides, padding, kernelInitializer })
        .apply(x) as tf.SymbolicTensor;
    }
    const layer = spec.transposed ? tf.layers.conv2dTranspose(args) : tf.layers.conv2d(args);
    return layer.apply(x) as tf.SymbolicTensor;
  }

  /**
   * GroupNorm (default) or BatchNorm over the channels of `x`. BatchNorm uses PyTorch's
   * defaults (momentum 0.1, i.e. Keras momentum 0.9; epsilon 1e-5).
   */
  norm(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    const channels = x.shape[x.shape.length - 1] as number;
    const layer = this.#norm === "group"
      ? groupNorm({ name, groups: normGroups(channels), epsilon: 1e-5 })
      : tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 });
    return layer.apply(x) as tf.SymbolicTensor;
  }

  relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  }

  /** conv (no bias) -> norm -> relu, named `<prefix>_conv<n>`, `_norm<n>`, `_relu<n>`. */
  convNormRelu(
    x: tf.SymbolicTensor,
    prefix: string,
    n: number | "",
    spec: ConvSpec,
  ): tf.SymbolicTensor {
    const y = this.norm(this.conv(x, `${prefix}_conv${n}`, spec), `${prefix}_norm${n}`);
    return this.relu(y, `${prefix}_relu${n}`);
  }
}
