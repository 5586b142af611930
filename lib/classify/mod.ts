/**
 * The multi-task classifier: a shared trunk with one head per task, its losses, the
 * metrics module, and the config schema of classifier training.
 *
 * @module
 */
export * from "./backbone.ts";
export * from "./build_classifier.ts";
export * from "./losses.ts";
export * from "./target_normalization.ts";
export * from "./metrics.ts";
export * from "./metric_direction.ts";
export * from "./config_schema.ts";
