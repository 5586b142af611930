/**
 * The optimizer a training config names.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { AdamW } from "./adamw.ts";
import { SgdMomentum } from "./sgd_momentum.ts";

/** The optimizers {@linkcode createOptimizer} builds. */
export const OPTIMIZERS = ["adamw", "adam", "sgd"] as const;
/** An optimizer name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Settings of {@linkcode createOptimizer} (the `[train]` keys of the same names). */
export interface OptimizerSettings {
  optimizer: OptimizerName;
  lr: number;
  weight_decay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  momentum: number;
}

/** An optimizer whose learning rate the loop sets before each step. */
export type TrainOptimizer = AdamW | SgdMomentum;

/**
 * Builds the named optimizer over `params` (in a fixed order, e.g. a model's trainable
 * weights): "adamw" (decoupled `weight_decay`), "adam" (AdamW without decay; weight_decay is
 * ignored) or "sgd" (momentum, `weight_decay` as L2).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createOptimizer } from "./create_optimizer.ts";
 * const w = tf.variable(tf.zeros([2]));
 * const optimizer = createOptimizer([w], {
 *   optimizer: "adamw", lr: 2e-4, weight_decay: 0.009, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
 *   momentum: 0.9,
 * });
 * console.assert(optimizer.getClassName() === "AdamW");
 * optimizer.dispose();
 * w.dispose();
 * ```
 */
export function createOptimizer(
  params: readonly tf.Variable[],
  settings: OptimizerSettings,
): TrainOptimizer {
  const { lr, weight_decay, beta1, beta2, epsilon, momentum } = settings;
  switch (settings.optimizer) {
    case "adamw":
    case "adam":
      return new AdamW(params, {
        learningRate: lr,
        beta1,
        beta2,
        epsilon,
        weightDecay: settings.optimizer === "adamw" ? weight_decay : 0,
      });
    case "sgd":
      return new SgdMomentum(params, { learningRate: lr, momentum, weightDecay: weight_decay });
    default:
      throw new RangeError(
        `Cannot create an optimizer as it must be one of ${OPTIMIZERS.join(", ")}: current ` +
          `value is ${JSON.stringify(settings.optimizer)}`,
      );
  }
}
