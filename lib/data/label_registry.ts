/**
 * The labels the datasets can provide, one {@linkcode LabelSpec} each, and discovery of the
 * tasks a dataset (or a mix of datasets) supports. Column names are the metadata.csv
 * columns that `preprocess` writes.
 *
 * @module
 */
import type { LabelSpec } from "./labels.ts";

/** Every label known to the library, by task name. */
export const LABELS: Readonly<Record<string, LabelSpec>> = {
  gender: {
    name: "gender",
    kind: "classification",
    classes: ["female", "male"],
    column: "gender",
    description: "Sex of the subject as recorded by the dataset",
  },
  age: {
    name: "age",
    kind: "regression",
    column: "age",
    description: "Age in years at recording",
  },
  health: {
    name: "health",
    kind: "classification",
    classes: ["healthy", "parkinsons"],
    column: "health",
    description: "Healthy control or Parkinson's disease",
  },
  task_state: {
    name: "task_state",
    kind: "classification",
    classes: ["rest", "arithmetic"],
    column: "task_state",
    description: "Resting state or mental arithmetic (Math dataset)",
  },
  count_quality: {
    name: "count_quality",
    kind: "classification",
    classes: ["bad", "good"],
    column: "count_quality",
    description: "Whether the subject counted well during arithmetic (Math dataset)",
  },
  medication: {
    name: "medication",
    kind: "classification",
    classes: ["off", "on"],
    column: "medication",
    description: "Dopaminergic medication state of the session (Parkinsons dataset)",
  },
  emotion: {
    name: "emotion",
    kind: "classification",
    classes: ["negative", "neutral", "positive"],
    column: "emotion",
    description: "Emotion elicited by the film clip (SEED dataset)",
  },
};

/** The labels each built-in dataset provides. */
export const DATASET_LABELS: Readonly<Record<string, readonly string[]>> = {
  math: ["gender", "age", "task_state", "count_quality"],
  parkinsons: ["gender", "age", "health", "medication"],
  seed: ["gender", "age", "emotion"],
  synthetic: ["gender", "age", "task_state"],
};

/**
 * Looks a label up by task name; an unknown name is a RangeError with the valid names.
 *
 * @example
 * ```ts
 * import { labelSpec } from "./label_registry.ts";
 * console.assert(labelSpec("gender").classes?.length === 2);
 * ```
 */
export function labelSpec(name: string): LabelSpec {
  const spec = LABELS[name];
  if (spec === undefined) {
    throw new RangeError(
      `Cannot find label "${name}" as it must be one of ${Object.keys(LABELS).join(", ")}`,
    );
  }
  return spec;
}

/**
 * The tasks a set of metadata columns supports: every known label whose column is present.
 * For a mix of datasets pass the union of their columns; rows without a value are masked
 * out of that task's loss and metrics.
 *
 * @example
 * ```ts
 * import { discoverTasks } from "./label_registry.ts";
 * const tasks = discoverTasks(["file_name", "gender", "task_state"]);
 * console.assert(tasks.map((t) => t.name).join() === "gender,task_state");
 * ```
 */
export function discoverTasks(columns: Iterable<string>): LabelSpec[] {
  const present = new Set(columns);
  return Object.values(LABELS).filter((spec) => present.has(spec.column));
}
