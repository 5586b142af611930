/**
 * Everything a training run derives from its config before the first step: step counts,
 * the LR schedule, when to evaluate and checkpoint, the loss settings and the metric that
 * ranks checkpoints. Checked against the tasks, so a typo fails before any training.
 *
 * @module
 */
import type { ClassifierTrainConfig } from "../classify/config_schema.ts";
import { type MultiTaskLossOptions, taskWeights } from "../classify/losses.ts";
import { type MetricDirection, metricDirection } from "../classify/metric_direction.ts";
import { type TargetNormalization, targetNormalization } from "../classify/target_normalization.ts";
import type { LabelSpec } from "../data/labels.ts";
import type { BatchSource } from "./batch_source.ts";
import type { LrSchedule } from "./schedules.ts";

/** The derived settings of one run. */
export interface TrainPlan {
  stepsPerEpoch: number;
  totalSteps: number;
  schedule: LrSchedule;
  loss: MultiTaskLossOptions & { normalization: TargetNormalization };
  /** The metric that ranks checkpoints and drives early stopping. */
  monitor: { key: string; direction: MetricDirection };
  /** Class targets to balance batches on, when `balanced_sampling_task` is set. */
  balanceTargets?: ArrayLike<number>;
  /** Whether an evaluation is due after `step` optimizer steps (not counting the end). */
  evalDue(step: number): boolean;
  /** Whether a `last` checkpoint is due after `step` optimizer steps (not counting the end). */
  checkpointDue(step: number): boolean;
}

const _CLASS_METRICS = ["loss", "accuracy", "balanced_accuracy", "macro_f1", "auroc"];
const _REGRESSION_METRICS = ["loss", "mae", "rmse"];

/**
 * Derives the {@linkcode TrainPlan} of a config, for the given tasks and training rows.
 *
 * @throws {RangeError} for a best_metric, task weight or balanced-sampling task that does
 * not fit the tasks.
 *
 * @example
 * ```ts
 * import { schemaDefaults } from "../config/mod.ts";
 * import { CLASSIFY_SCHEMA } from "../classify/config_schema.ts";
 * import { planTraining } from "./train_plan.ts";
 * const config = { ...schemaDefaults(CLASSIFY_SCHEMA).train, batch_size: 10, epochs: 3 };
 * const tasks = [{ name: "y", kind: "classification" as const, classes: ["a", "b"], column: "y", description: "" }];
 * const train = { size: 95, targets: () => [], batch: () => { throw new Error("unused"); } };
 * const plan = planTraining(config, tasks, train);
 * console.assert(plan.stepsPerEpoch === 10 && plan.totalSteps === 30 && plan.evalDue(10));
 * ```
 */
export function planTraining(
  config: ClassifierTrainConfig,
  tasks: readonly LabelSpec[],
  train: BatchSource,
  options: { customMetrics?: boolean } = {},
): TrainPlan {
  const stepsPerEpoch = Math.ceil(train.size / config.batch_size);
  const totalSteps = config.max_steps > 0 ? config.max_steps : config.epochs * stepsPerEpoch;
  // A custom objective (e.g. segmentation) checks its own metric names; only the direction
  // is looked up here.
  const direction = options.customMetrics
    ? metricDirection(config.best_metric)
    : _checkMetric(config.best_metric, tasks);
  const monitor = { key: config.best_metric, direction };
  taskWeights(tasks, config.task_weights); // throws for a weight naming no task
  let balanceTargets: ArrayLike<number> | undefined;
  if (config.balanced_sampling_task !== "") {
    const task = tasks.find((t) => t.name === config.balanced_sampling_task);
    if (task?.kind !== "classification") {
      throw new RangeError(
        `Cannot balance classes as train.balanced_sampling_task must name a classification ` +
          `task (${tasks.filter((t) => t.kind === "classification").map((t) => t.name)}): ` +
          `current value is "${config.balanced_sampling_task}"`,
      );
    }
    balanceTargets = train.targets(task.name);
  }
  const every = (strategy: string, steps: number) => (step: number) =>
    strategy === "steps" ? step % steps === 0 : strategy === "epoch" && step % stepsPerEpoch === 0;
  return {
    stepsPerEpoch,
    totalSteps,
    schedule: {
      schedule: config.schedule,
      lr: config.lr,
      warmupSteps: config.warmup_steps,
      totalSteps,
      minLrRatio: config.min_lr_ratio,
    },
    loss: {
      classificationLoss: config.loss,
      labelSmoothing: config.label_smoothing,
      focalAlpha: config.focal_alpha,
      focalGamma: config.focal_gamma,
      huberDelta: config.huber_delta,
      weights: config.task_weights,
      normalization: targetNormalization(tasks, (name) => train.targets(name)),
    },
    monitor,
    balanceTargets,
    evalDue: every(config.eval_strategy, config.eval_steps),
    checkpointDue: every(config.checkpoint_strategy, config.checkpoint_steps),
  };
}

function _checkMetric(key: string, tasks: readonly LabelSpec[]): MetricDirection {
  const direction = metricDirection(key);
  if (key === "loss") return direction;
  const dot = key.indexOf(".");
  const task = tasks.find((t) => t.name === key.slice(0, dot));
  const metric = key.slice(dot + 1);
  const allowed = task?.kind === "regression" ? _REGRESSION_METRICS : _CLASS_METRICS;
  if (task === undefined || !allowed.includes(metric)) {
    throw new RangeError(
      `Cannot rank checkpoints by train.best_metric as it must be "loss" or ` +
        `"<task>.<metric>" for a task of ${tasks.map((t) => t.name).join(", ")} (metrics: ` +
        `${allowed.join(", ")}): current value is "${key}"`,
    );
  }
  if (metric === "auroc" && task.classes?.length !== 2) {
    throw new RangeError(
      `Cannot rank checkpoints by "${key}" as AUROC needs a binary task: current value has ` +
        `${task.classes?.length} classes`,
    );
  }
  return direction;
}
