/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2),
 * computed as PyTorch's `torch.optim.AdamW` does. With `weightDecay: 0` it is Adam.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedTensor } from "../io/named_tensors.ts";
import { SlottedOptimizer } from "./slotted_optimizer.ts";

/** Options of {@linkcode AdamW}. */
export interface AdamWOptions {
  /** Step size; the training loop changes it every step. Default 1e-3. */
  learningRate?: number;
  /** First-moment decay β1. Default 0.9. */
  beta1?: number;
  /** Second-moment decay β2. Default 0.999. */
  beta2?: number;
  /** Added to √v̂ in the denominator. Default 1e-8. */
  epsilon?: number;
  /** Decoupled weight decay λ: each step multiplies weights by (1 - lr·λ). Default 0.01. */
  weightDecay?: number;
}

/**
 * AdamW over a fixed, ordered list of parameters. For step t = 1, 2, ... and gradient g:
 * ```
 * θ ← θ·(1 - lr·λ)                              (decoupled decay, before the update)
 * m ← β1·m + (1 - β1)·g;   v ← β2·v + (1 - β2)·g²
 * θ ← θ - lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
 * ```
 * The bias corrections are computed in float64 from the integer t, so a run restored
 * from `getWeights()` (which saves t as "iter") continues exactly as the original would;
 * tfjs's own Adam keeps β^t in float32 variables and does not. Parameters without a
 * gradient in a step are not updated (nor decayed), as in PyTorch.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { AdamW } from "./adamw.ts";
 * const w = tf.variable(tf.tensor1d([1]));
 * const optimizer = new AdamW([w], { learningRate: 0.1, weightDecay: 0.5 });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([2]) });
 * // θ = 1·(1 - 0.05) - 0.1·m̂/(√v̂ + ε) with m̂ = 2, √v̂ = 2: 0.95 - 0.1 = 0.85.
 * console.assert(Math.abs((await w.data())[0] - 0.85) < 1e-6);
 * optimizer.dispose();
 * w.dispose();
 * ```
 */
export class AdamW extends SlottedOptimizer {
  /** The class name tfjs reports (`getClassName()`). */
  static className = "AdamW";
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;

  constructor(params: readonly tf.Variable[], options: AdamWOptions = {}) {
    super();
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    for (const [name, value] of Object.entries({ beta1: this.beta1, beta2: this.beta2 })) {
      if (!(value >= 0 && value < 1)) {
        throw new RangeError(
          `Cannot create AdamW as ${name} must be in [0, 1): current value is ${value}`,
        );
      }
    }
    this.initSlots("AdamW", params, ["m", "v"]);
  }

  override applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const t = this.iterations + 1;
    const biasCorrection1 = 1 - this.beta1 ** t;
    const sqrtBiasCorrection2 = Math.sqrt(1 - this.beta2 ** t);
    for (const { param, slots: [m, v], grad } of this.slots.withGradients(gradients)) {
      const lr = this.paramLearningRate(param.name, this.learningRate);
      tf.tidy(() => {
        const decayed = this.weightDecay === 0 ? param : param.mul(1 - lr * this.weightDecay);
        const newM = m.mul(this.beta1).add(grad.mul(1 - this.beta1));
        const newV = v.mul(this.beta2).add(grad.square().mul(1 - this.beta2));
        const denominator = newV.sqrt().div(sqrtBiasCorrection2).add(this.epsilon);
        m.assign(newM);
        v.assign(newV);
        param.assign(decayed.sub(newM.div(denominator).mul(lr / biasCorrection1)));
      });
    }
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }
}
