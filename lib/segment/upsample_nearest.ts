/**
 * 2x nearest-neighbour upsampling with a gradient that is right on every backend, as an
 * op and as a layer registered for serialisation.
 *
 * Why not `tf.layers.upSampling2d`: its gradient is the `ResizeNearestNeighborGrad`
 * kernel, and tfjs-backend-cpu 4.22's is wrong for batches of more than one image: it
 * reads `dy` of image b at the offset `b * H * W * C` of the *input* instead of
 * `b * 2H * 2W * C` (kernels/ResizeNearestNeighborGrad.js, `dyROffset`), so from the
 * second image on it sums the wrong pixels. The cpu backend is our reference in tests and
 * the last fallback of `initBackend({ backend: "auto" })`. Here the forward pass is still
 * `resizeNearestNeighbor` (correct and native on every backend) and the backward pass
 * sums each 2x2 block of the incoming gradient with reshapes and sums.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The op with its custom gradient: `[B, H, W, C]` -> `[B, 2H, 2W, C]`. */
const _upsample = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const input = args[0] as tf.Tensor4D;
  const [b, h, w, c] = input.shape;
  const value = tf.image.resizeNearestNeighbor(input, [2 * h, 2 * w]);
  const gradFunc = (dy: tf.Tensor) => {
    // [B, 2H, 2W, C] -> [B*H, 2, 2W*C]: add the two rows of each block ...
    const rows = dy.reshape([b * h, 2, 2 * w * c]).sum(1);
    // ... -> [B*H*W, 2, C]: then the two columns. (A sum over a middle axis is one pass
    // on wasm, lib/runtime/wasm_kernels/sum.ts; splitting in halves copied twice.)
    return rows.reshape([b * h * w, 2, c]).sum(1).reshape([b, h, w, c]);
  };
  return { value, gradFunc };
}) as (x: tf.Tensor4D) => tf.Tensor4D;

/**
 * Repeats every pixel of `x` `[B, H, W, C]` into a 2x2 block: `[B, 2H, 2W, C]`, the same
 * values as PyTorch's `F.interpolate(scale_factor=2, mode="nearest")`. The gradient sums
 * each 2x2 block of `dy`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { upsampleNearest2x } from "./upsample_nearest.ts";
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const y = upsampleNearest2x(x);
 * console.assert(y.dataSync().slice(0, 4).join() === "1,1,2,2");
 * tf.dispose([x, y]);
 * ```
 */
export function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  if (x.rank !== 4) {
    throw new TypeError(
      `Error in upsampleNearest2x: x must be [B, H, W, C] but got shape [${x.shape}]`,
    );
  }
  return _upsample(x);
}

/** Layer arguments of {@linkcode UpsampleNearest2x}. */
export interface UpsampleNearest2xArgs {
  name?: string;
  trainable?: boolean;
}

/** {@linkcode upsampleNearest2x} as a layer: `[B, H, W, C]` -> `[B, 2H, 2W, C]`. */
export class UpsampleNearest2x extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static className = "UpsampleNearest2x";

  constructor(args: UpsampleNearest2xArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [b, h === null ? null : 2 * h, w === null ? null : 2 * w, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return upsampleNearest2x(x as tf.Tensor4D);
  }
}
tf.serialization.registerClass(UpsampleNearest2x);

/**
 * An {@linkcode UpsampleNearest2x} layer.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { upsampleNearest2xLayer } from "./upsample_nearest.ts";
 * const input = tf.input({ shape: [4, 4, 3] });
 * const output = upsampleNearest2xLayer({ name: "up" }).apply(input) as tf.SymbolicTensor;
 * console.assert(output.shape.join() === ",8,8,3");
 * ```
 */
export function upsampleNearest2xLayer(args: UpsampleNearest2xArgs = {}): UpsampleNearest2x {
  return new UpsampleNearest2x(args);
}
