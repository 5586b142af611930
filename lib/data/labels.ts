/**
 * Label specifications: what a task learns (a class out of a list, or a number), which
 * metadata column holds it, and how a raw cell becomes a training target. The labels
 * registry of the datasets builds on this type.
 *
 * Targets are plain numbers everywhere in the library: a class index for classification
 * (`-1` when the row has no label) and the value for regression (`NaN` when missing).
 *
 * @module
 */

/** One label a model can learn. */
export interface LabelSpec {
  /** Task name, also the model's output name (letters, digits, "_"; starts with a letter). */
  name: string;
  /** "classification" learns one of `classes`; "regression" learns one number. */
  kind: "classification" | "regression";
  /** Class names in index order; required (at least 2) for classification. */
  classes?: string[];
  /** The metadata.csv column that holds the label. */
  column: string;
  /** One line for reports and the dataset card. */
  description: string;
}

/** The target of a classification row without a label. */
export const MISSING_CLASS = -1;

const _TASK_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const _MISSING_CELLS = new Set(["", "na", "nan", "n/a", "none", "null"]);

/**
 * Checks a label spec and returns it; throws a TypeError or RangeError naming the field.
 *
 * @example
 * ```ts
 * import { assertLabelSpec } from "./labels.ts";
 * const spec = assertLabelSpec({
 *   name: "gender", kind: "classification", classes: ["F", "M"], column: "gender",
 *   description: "Sex of the subject",
 * });
 * console.assert(spec.name === "gender");
 * ```
 */
export function assertLabelSpec(spec: LabelSpec): LabelSpec {
  const where = `label "${spec?.name}"`;
  if (typeof spec?.name !== "string" || !_TASK_NAME.test(spec.name)) {
    throw new TypeError(
      `Cannot use a label spec as its name must be letters, digits or "_" starting with a ` +
        `letter: current value is ${JSON.stringify(spec?.name)}`,
    );
  }
  if (spec.kind !== "classification" && spec.kind !== "regression") {
    throw new TypeError(
      `Cannot use ${where} as kind must be "classification" or "regression": current value ` +
        `is ${JSON.stringify(spec.kind)}`,
    );
  }
  if (spec.kind === "classification") {
    const classes = spec.classes;
    if (!Array.isArray(classes) || classes.length < 2 || new Set(classes).size !== classes.length) {
      throw new RangeError(
        `Cannot use ${where} as a classification label needs at least 2 distinct classes: ` +
          `current value is ${JSON.stringify(classes)}`,
      );
    }
  }
  if (typeof spec.column !== "string" || spec.column === "") {
    throw new TypeError(
      `Cannot use ${where} as column must be a non-empty string: current value is ${
        JSON.stringify(spec.column)
      }`,
    );
  }
  return spec;
}

/**
 * Number of model outputs a label needs: one per class, or 1 for regression.
 *
 * @example
 * ```ts
 * import { labelOutputSize } from "./labels.ts";
 * const age = { name: "age", kind: "regression" as const, column: "age", description: "Age" };
 * console.assert(labelOutputSize(age) === 1);
 * ```
 */
export function labelOutputSize(spec: LabelSpec): number {
  return spec.kind === "classification" ? spec.classes?.length ?? 0 : 1;
}

/**
 * True when a target is missing: `-1` for classification, `NaN` for regression.
 *
 * @example
 * ```ts
 * import { isMissingTarget } from "./labels.ts";
 * console.assert(isMissingTarget("classification", -1) && isMissingTarget("regression", NaN));
 * ```
 */
export function isMissingTarget(kind: LabelSpec["kind"], target: number): boolean {
  return kind === "classification" ? target === MISSING_CLASS : Number.isNaN(target);
}

/**
 * Turns a raw metadata cell into a target: the class's index (or `-1` for an empty or
 * "NA"-like cell) for classification, the number (or `NaN`) for regression.
 *
 * @throws {RangeError} for a class name that is not in `spec.classes`, or a regression
 * cell that is not a number.
 *
 * @example
 * ```ts
 * import { encodeLabel } from "./labels.ts";
 * const gender = {
 *   name: "gender", kind: "classification" as const, classes: ["F", "M"], column: "gender",
 *   description: "Sex",
 * };
 * console.assert(encodeLabel(gender, "M") === 1 && encodeLabel(gender, "") === -1);
 * const age = { name: "age", kind: "regression" as const, column: "age", description: "Age" };
 * console.assert(encodeLabel(age, "41.5") === 41.5 && Number.isNaN(encodeLabel(age, "NA")));
 * ```
 */
export function encodeLabel(spec: LabelSpec, cell: string): number {
  const text = cell.trim();
  const missing = _MISSING_CELLS.has(text.toLowerCase());
  if (spec.kind === "classification") {
    if (missing) return MISSING_CLASS;
    const index = spec.classes?.indexOf(text) ?? -1;
    if (index < 0) {
      throw new RangeError(
        `Cannot encode label "${spec.name}" as the value must be one of ${
          JSON.stringify(spec.classes)
        } or empty: current value is ${JSON.stringify(cell)}`,
      );
    }
    return index;
  }
  if (missing) return NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `Cannot encode label "${spec.name}" as the value must be a finite number or empty: ` +
        `current value is ${JSON.stringify(cell)}`,
    );
  }
  return value;
}
