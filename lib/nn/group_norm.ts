/**
 * Group normalisation (Wu & He 2018, "Group Normalization", eq. 1-3) as a Keras-style
 * layer, registered for serialisation so saved models load in Deno and in browsers.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode groupNorm}. */
export interface GroupNormArgs {
  /** Groups the channels are split into; must divide the channel count. Default 1. */
  groups?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch's default). */
  epsilon?: number;
  /** Layer name. */
  name?: string;
  /** Input shape without the batch, for a first layer. */
  inputShape?: number[];
  /** Whether gamma and beta are trained. Default true. */
  trainable?: boolean;
}

/**
 * The name of the fused GroupNorm kernel (registered for wasm by lib/runtime/wasm_kernels;
 * kept as a string here so lib/nn does not depend on the runtime).
 */
const _FUSED_KERNEL = "WorkbenchGroupNorm";

/**
 * Normalises channels-last inputs (`[B, ..., C]`, e.g. `[B, H, W, C]` or `[B, T, C]`) over
 * the spatial axes and the channels of each group, per example, then scales and shifts
 * each channel by learned `gamma` (init 1) and `beta` (init 0). The variance is the biased
 * (population) one, as in PyTorch's `nn.GroupNorm`; with `groups: 1` this is layer norm
 * over all of (H, W, C).
 */
export class GroupNorm extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static className = "GroupNorm";
  readonly groups: number;
  readonly epsilon: number;
  #gamma: tf.LayerVariable | null = null;
  #beta: tf.LayerVariable | null = null;

  constructor(args: GroupNormArgs = {}) {
    super(args);
    this.groups = args.groups ?? 1;
    this.epsilon = args.epsilon ?? 1e-5;
    if (!Number.isInteger(this.groups) || this.groups < 1) {
      throw new RangeError(
        `Cannot create a GroupNorm layer as groups must be a positive integer: current value ` +
          `is ${this.groups}`,
      );
    }
    if (!(this.epsilon > 0)) {
      throw new RangeError(
        `Cannot create a GroupNorm layer as epsilon must be positive: current value is ${this.epsilon}`,
      );
    }
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (shape.length < 3 || channels == null || channels % this.groups !== 0) {
      throw new RangeError(
        `Error in GroupNorm "${this.name}": input must be [B, ..., C] with C divisible by ` +
          `groups ${this.groups}, but got shape [${shape.map((d) => d ?? "null")}]`,
      );
    }
    this.#gamma = this.addWeight("gamma", [channels], "float32", tf.initializers.ones());
    this.#beta = this.addWeight("beta", [channels], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // [B, ...S, C]
      // One fused kernel where the backend has it (wasm; lib/runtime/wasm_kernels): the
      // composition below costs about ten kernels forwards and twenty backwards.
      if (tf.getKernel(_FUSED_KERNEL, tf.getBackend()) !== undefined) {
        const [y] = tf.engine().runKernel(
          _FUSED_KERNEL,
          { x, gamma: this.#gamma!.read(), beta: this.#beta!.read() },
          { groups: this.groups, epsilon: this.epsilon },
        ) as tf.Tensor[];
        return y;
      }
      const shape = x.shape;
      const channels = shape[shape.length - 1];
      const spatial = shape.slice(1, -1).reduce((a, b) => a * b, 1);
      const grouped = x.reshape([shape[0], spatial, this.groups, channels / this.groups]);
      // Statistics per example and group: over the spatial axis and the group's channels.
      const { mean, variance } = tf.moments(grouped, [1, 3], true); // [B, 1, G, 1]
      const normalized = grouped.sub(mean).mul(tf.rsqrt(variance.add(this.epsilon)));
      return normalized.reshape(shape).mul(this.#gamma!.read()).add(this.#beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(GroupNorm);

/**
 * A {@linkcode GroupNorm} layer.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { groupNorm } from "./group_norm.ts";
 * const model = tf.sequential({ layers: [groupNorm({ groups: 2, inputShape: [4, 4, 6] })] });
 * const x = tf.randomNormal([2, 4, 4, 6]); // [B, H, W, C]
 * const y = model.predict(x) as tf.Tensor;
 * console.assert(y.shape.join() === "2,4,4,6");
 * tf.dispose([x, y]);
 * model.dispose();
 * ```
 */
export function groupNorm(args: GroupNormArgs = {}): GroupNorm {
  return new GroupNorm(args);
}
