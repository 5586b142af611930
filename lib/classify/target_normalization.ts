/**
 * Standardisation of regression targets: the network learns (y - mean) / std, with the
 * statistics taken from the training rows and stored in the run so predictions can be
 * turned back into the label's units.
 *
 * @module
 */
import type { LabelSpec } from "../data/labels.ts";

/** Mean and standard deviation of one regression target. */
export interface TargetStats {
  mean: number;
  std: number;
}

/** Statistics of each regression task, by task name (JSON, saved in run.json). */
export type TargetNormalization = Record<string, TargetStats>;

/**
 * Mean and population standard deviation of the present (non-NaN) values. `std` is 1 when
 * it would be 0 or undefined (one value, or none), so standardising never divides by 0;
 * `mean` is 0 when there are no values.
 *
 * @example
 * ```ts
 * import { targetStats } from "./target_normalization.ts";
 * const { mean, std } = targetStats([1, 3, NaN]);
 * console.assert(mean === 2 && std === 1);
 * ```
 */
export function targetStats(values: ArrayLike<number>): TargetStats {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) [sum, count] = [sum + values[i], count + 1];
  }
  if (count === 0) return { mean: 0, std: 1 };
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) squares += (values[i] - mean) ** 2;
  }
  const std = Math.sqrt(squares / count);
  return { mean, std: std > 0 ? std : 1 };
}

/**
 * The statistics of every regression task, from each task's training targets.
 *
 * @example
 * ```ts
 * import { targetNormalization } from "./target_normalization.ts";
 * const tasks = [{ name: "age", kind: "regression" as const, column: "age", description: "" }];
 * const stats = targetNormalization(tasks, (name) => name === "age" ? [20, 40] : []);
 * console.assert(stats.age.mean === 30 && stats.age.std === 10);
 * ```
 */
export function targetNormalization(
  tasks: readonly LabelSpec[],
  targetsOf: (task: string) => ArrayLike<number>,
): TargetNormalization {
  const stats: TargetNormalization = {};
  for (const task of tasks) {
    if (task.kind === "regression") stats[task.name] = targetStats(targetsOf(task.name));
  }
  return stats;
}

/**
 * Turns standardised predictions back into the label's units: value·std + mean.
 *
 * @example
 * ```ts
 * import { denormalize } from "./target_normalization.ts";
 * console.assert(denormalize([1, -1], { mean: 30, std: 10 }).join() === "40,20");
 * ```
 */
export function denormalize(values: ArrayLike<number>, stats: TargetStats): Float64Array {
  return Float64Array.from(values, (v) => v * stats.std + stats.mean);
}
