/**
 * Gradient clipping by global norm (Pascanu et al. 2013), as PyTorch's
 * `clip_grad_norm_`: all gradients are scaled by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖
 * is the L2 norm of all of them together, so their direction is kept.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Clipped gradients and the global norm before clipping. */
export interface ClippedGradients {
  grads: tf.NamedTensorMap;
  /** ‖g‖ before clipping (a scalar tensor: reading it is a GPU-CPU sync). */
  norm: tf.Scalar;
}

/**
 * Scales `grads` so their global L2 norm is at most `maxNorm` (0 or Infinity: no
 * clipping). Returns new tensors; the inputs are left to the caller. No GPU-CPU sync.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { clipByGlobalNorm } from "./clip_by_global_norm.ts";
 * const grads = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) }; // ‖g‖ = 5
 * const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
 * console.assert((await norm.data())[0] === 5);
 * console.assert(Math.abs((await clipped.b.data())[0] - 0.8) < 1e-6);
 * tf.dispose([...Object.values(grads), ...Object.values(clipped), norm]);
 * ```
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): ClippedGradients {
  if (!(maxNorm >= 0)) {
    throw new RangeError(
      `Cannot clip gradients as maxNorm must be >= 0 (0 turns clipping off): current value is ${maxNorm}`,
    );
  }
  const names = Object.keys(grads);
  return tf.tidy(() => {
    const norm = names.length === 0
      ? tf.scalar(0)
      : tf.addN(names.map((n) => grads[n].square().sum())).sqrt() as tf.Scalar;
    const clip = maxNorm > 0 && Number.isFinite(maxNorm);
    const scale = clip ? tf.minimum(1, tf.div(maxNorm, norm.add(1e-6))) : null;
    const clipped: tf.NamedTensorMap = {};
    for (const n of names) clipped[n] = scale ? grads[n].mul(scale) : grads[n].clone();
    return { grads: clipped, norm };
  });
}
