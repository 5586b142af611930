/**
 * Which way each metric improves, for ranking checkpoints and early stopping: lower loss,
 * MAE and RMSE are better; higher accuracy, balanced accuracy, macro-F1 and AUROC are.
 *
 * @module
 */
import { closestName } from "../config/levenshtein.ts";

/** Whether a metric improves upward ("max") or downward ("min"). */
export type MetricDirection = "max" | "min";

/** The direction of every metric a run can be ranked by. */
export const METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = {
  loss: "min",
  mae: "min",
  rmse: "min",
  accuracy: "max",
  balanced_accuracy: "max",
  macro_f1: "max",
  auroc: "max",
  // Segmentation (lib/segment/metrics.ts).
  dice: "max",
  iou: "max",
  precision: "max",
  recall: "max",
  f1: "max",
  pixel_accuracy: "max",
  specificity: "max",
};

/**
 * The direction of a metric, by its name or a dotted key ending in it ("age.mae").
 *
 * @throws {RangeError} for a metric that is not in {@linkcode METRIC_DIRECTIONS}.
 *
 * @example
 * ```ts
 * import { metricDirection } from "./metric_direction.ts";
 * console.assert(metricDirection("age.mae") === "min");
 * console.assert(metricDirection("gender.balanced_accuracy") === "max");
 * ```
 */
export function metricDirection(key: string): MetricDirection {
  const metric = key.slice(key.lastIndexOf(".") + 1);
  const direction = Object.hasOwn(METRIC_DIRECTIONS, metric)
    ? METRIC_DIRECTIONS[metric]
    : undefined;
  if (direction === undefined) {
    const near = closestName(metric, Object.keys(METRIC_DIRECTIONS));
    throw new RangeError(
      `Cannot rank by metric "${key}" as it must be one of ${
        Object.keys(METRIC_DIRECTIONS).join(", ")
      }${near ? ` (did you mean "${near}"?)` : ""}: current value is "${metric}"`,
    );
  }
  return direction;
}

/**
 * True when `candidate` is better than `incumbent` by more than `minDelta`. NaN is worse
 * than any number; anything beats an undefined incumbent.
 *
 * @example
 * ```ts
 * import { isImprovement } from "./metric_direction.ts";
 * console.assert(isImprovement(2.5, 3, "min") && !isImprovement(0.7, 0.8, "max"));
 * ```
 */
export function isImprovement(
  candidate: number,
  incumbent: number | undefined,
  direction: MetricDirection,
  minDelta = 0,
): boolean {
  if (Number.isNaN(candidate)) return false;
  if (incumbent === undefined || Number.isNaN(incumbent)) return true;
  return direction === "min" ? candidate < incumbent - minDelta : candidate > incumbent + minDelta;
}
