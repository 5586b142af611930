/**
 * Learning-rate schedules with linear warmup, as Hugging Face transformers defines them
 * (`get_constant_schedule_with_warmup`, `get_linear_schedule_with_warmup`,
 * `get_cosine_with_min_lr_schedule_with_warmup`), with a floor of `minLrRatio · lr` for
 * linear and cosine decay.
 *
 * @module
 */

/** The schedules of {@linkcode learningRateAt}. */
export const LR_SCHEDULES = ["constant", "linear", "cosine"] as const;
/** A schedule name. */
export type LrScheduleName = (typeof LR_SCHEDULES)[number];

/** A learning-rate schedule. */
export interface LrSchedule {
  schedule: LrScheduleName;
  /** Peak learning rate, reached at the end of warmup. */
  lr: number;
  /** Steps of linear warmup from 0. */
  warmupSteps: number;
  /** Optimizer steps of the whole run. */
  totalSteps: number;
  /** The rate after decay, as a fraction of `lr` (linear and cosine). Default 0. */
  minLrRatio?: number;
}

/**
 * The learning rate of the optimizer step with 0-based index `step` (the number of steps
 * already taken). Warmup: lr · step / warmupSteps, so step 0 trains at 0 as in
 * transformers. After warmup, with progress p = (step - warmup) / (total - warmup) and
 * floor m = minLrRatio: constant lr; linear lr·(m + (1 - m)(1 - p)); cosine
 * lr·(m + (1 - m)·½(1 + cos πp)). Never below 0, and p is capped at 1.
 *
 * @example
 * ```ts
 * import { learningRateAt } from "./schedules.ts";
 * const s = { schedule: "cosine" as const, lr: 1, warmupSteps: 10, totalSteps: 110 };
 * console.assert(learningRateAt(5, s) === 0.5);
 * console.assert(learningRateAt(10, s) === 1);
 * console.assert(Math.abs(learningRateAt(60, s) - 0.5) < 1e-15);
 * console.assert(learningRateAt(110, { ...s, minLrRatio: 0.1 }) === 0.1);
 * ```
 */
export function learningRateAt(step: number, schedule: LrSchedule): number {
  const { lr, warmupSteps, totalSteps, minLrRatio = 0 } = schedule;
  if (!LR_SCHEDULES.includes(schedule.schedule)) {
    throw new RangeError(
      `Cannot compute the learning rate as schedule must be one of ${LR_SCHEDULES.join(", ")}: ` +
        `current value is ${JSON.stringify(schedule.schedule)}`,
    );
  }
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(
      `Cannot compute the learning rate as step must be a non-negative integer: current value is ${step}`,
    );
  }
  if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
    throw new RangeError(
      `Cannot compute the learning rate as minLrRatio must be in [0, 1]: current value is ${minLrRatio}`,
    );
  }
  if (step < warmupSteps) return lr * step / Math.max(1, warmupSteps);
  if (schedule.schedule === "constant") return lr;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  const decay = schedule.schedule === "linear"
    ? 1 - progress
    : 0.5 * (1 + Math.cos(Math.PI * progress));
  return lr * Math.max(0, minLrRatio + (1 - minLrRatio) * decay);
}
