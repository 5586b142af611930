/**
 * Training infrastructure: the training loop of multi-task models, learning-rate
 * schedules, optimizers (AdamW, SGD with momentum), gradient clipping, batch sources and
 * sampling, evaluation, best-k checkpoints, early stopping and progress events.
 *
 * @module
 */
export * from "./progress.ts";
export * from "./schedules.ts";
export * from "./adamw.ts";
export * from "./sgd_momentum.ts";
export * from "./param_slots.ts";
export * from "./create_optimizer.ts";
export * from "./clip_by_global_norm.ts";
export * from "./batch_source.ts";
export * from "./epoch_sampler.ts";
export * from "./evaluate_model.ts";
export * from "./best_checkpoints.ts";
export * from "./early_stopping.ts";
export * from "./train_plan.ts";
export { type EvaluationRecord, LAST_CHECKPOINT } from "./train_outputs.ts";
export * from "./train_model.ts";
export * from "./slotted_optimizer.ts";
