/**
 * SGD with momentum, computed as PyTorch's `torch.optim.SGD` does (no dampening, no
 * Nesterov; weight decay as L2 added to the gradient).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedTensor } from "../io/named_tensors.ts";
import { SlottedOptimizer } from "./slotted_optimizer.ts";

/** Options of {@linkcode SgdMomentum}. */
export interface SgdMomentumOptions {
  /** Step size; the training loop changes it every step. Default 1e-2. */
  learningRate?: number;
  /** Momentum μ in [0, 1). Default 0.9. */
  momentum?: number;
  /** L2 coefficient λ added to the gradient (g + λθ). Default 0. */
  weightDecay?: number;
}

/**
 * SGD with momentum over a fixed, ordered parameter list: g ← g + λθ; b ← μb + g;
 * θ ← θ - lr·b. The buffer starts at 0, so the first step's buffer is g, as in PyTorch.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { SgdMomentum } from "./sgd_momentum.ts";
 * const w = tf.variable(tf.tensor1d([1]));
 * const optimizer = new SgdMomentum([w], { learningRate: 0.1, momentum: 0.5 });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1]) }); // b = 1: w = 0.9
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1]) }); // b = 1.5: w = 0.75
 * console.assert(Math.abs((await w.data())[0] - 0.75) < 1e-6);
 * optimizer.dispose();
 * w.dispose();
 * ```
 */
export class SgdMomentum extends SlottedOptimizer {
  /** The class name tfjs reports (`getClassName()`). */
  static className = "SgdMomentum";
  learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;

  constructor(params: readonly tf.Variable[], options: SgdMomentumOptions = {}) {
    super();
    this.learningRate = options.learningRate ?? 1e-2;
    this.momentum = options.momentum ?? 0.9;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) {
      throw new RangeError(
        `Cannot create SgdMomentum as momentum must be in [0, 1): current value is ${this.momentum}`,
      );
    }
    this.initSlots("SgdMomentum", params, ["momentum"]);
  }

  override applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    for (const { param, slots: [buffer], grad } of this.slots.withGradients(gradients)) {
      const lr = this.paramLearningRate(param.name, this.learningRate);
      tf.tidy(() => {
        const g = this.weightDecay === 0 ? grad : grad.add(param.mul(this.weightDecay));
        const newBuffer = buffer.mul(this.momentum).add(g);
        buffer.assign(newBuffer);
        param.assign(param.sub(newBuffer.mul(lr)));
      });
    }
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      momentum: this.momentum,
      weightDecay: this.weightDecay,
    };
  }
}
