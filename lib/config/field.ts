/**
 * Typed config fields: the leaves of a {@linkcode Schema}.
 *
 * @module
 */

/** The value types a config field can hold. */
export type FieldKind =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "string[]"
  | "number[]"
  | "string|string[]"
  | "record<number>";

/**
 * One config key: its type, default, one-line doc and optional constraints.
 * `T` is the TypeScript type of its value; {@linkcode InferConfig} reads it from `default`.
 */
export interface Field<T = unknown> {
  readonly kind: FieldKind;
  readonly default: T;
  /** One line for `--help`, `--print-config` and preset files. */
  readonly doc: string;
  /** Allowed values (for lists: allowed elements). */
  readonly choices?: readonly (string | number)[];
  /** Inclusive lower bound (for lists and records: of each element). */
  readonly min?: number;
  /** Inclusive upper bound (for lists and records: of each element). */
  readonly max?: number;
}

/** Options shared by every field constructor. */
export interface FieldOptions<T> {
  default: T;
  doc: string;
}

/** Options of numeric fields (and lists and records of numbers). */
export interface NumericFieldOptions<T> extends FieldOptions<T> {
  min?: number;
  max?: number;
  choices?: readonly number[];
}

/** Options of {@linkcode field.choice}. */
export interface ChoiceFieldOptions<C extends string> {
  choices: readonly C[];
  default: NoInfer<C>;
  doc: string;
}

/** Options of {@linkcode field.strings}. */
export interface StringListFieldOptions extends FieldOptions<string[]> {
  /** Allowed elements. */
  choices?: readonly string[];
}

/**
 * Constructors for config fields, one per {@linkcode FieldKind}.
 *
 * @example
 * ```ts
 * import { field } from "./field.ts";
 * const lr = field.number({ default: 1e-3, doc: "Peak learning rate", min: 0 });
 * const backend = field.choice({ choices: ["cpu", "wasm"], default: "cpu", doc: "Backend" });
 * console.assert(lr.kind === "number" && backend.choices?.length === 2);
 * ```
 */
export const field = {
  /** Any string. */
  string(options: FieldOptions<string>): Field<string> {
    return { kind: "string", ...options };
  },
  /** One string out of a fixed list; the config type is the union of the choices. */
  choice<const C extends string>(options: ChoiceFieldOptions<C>): Field<C> {
    return { kind: "string", ...options };
  },
  /** A finite number. */
  number(options: NumericFieldOptions<number>): Field<number> {
    return { kind: "number", ...options };
  },
  /** A safe integer. */
  integer(options: NumericFieldOptions<number>): Field<number> {
    return { kind: "integer", ...options };
  },
  /** `true` or `false`. */
  boolean(options: FieldOptions<boolean>): Field<boolean> {
    return { kind: "boolean", ...options };
  },
  /** A list of strings. */
  strings(options: StringListFieldOptions): Field<string[]> {
    return { kind: "string[]", ...options };
  },
  /** A list of finite numbers. */
  numbers(options: NumericFieldOptions<number[]>): Field<number[]> {
    return { kind: "number[]", ...options };
  },
  /** One string or a list of them (e.g. one dataset folder or several). */
  stringOrList(options: FieldOptions<string | string[]>): Field<string | string[]> {
    return { kind: "string|string[]", ...options };
  },
  /**
   * A table with free keys and number values, e.g. `[train.task_weights] gender = 2`.
   * Layers merge it entry by entry, like any other table.
   */
  numberRecord(
    options: NumericFieldOptions<Record<string, number>>,
  ): Field<Record<string, number>> {
    return { kind: "record<number>", ...options };
  },
} as const;

const _KINDS: ReadonlySet<string> = new Set<FieldKind>([
  "string",
  "number",
  "integer",
  "boolean",
  "string[]",
  "number[]",
  "string|string[]",
  "record<number>",
]);

/**
 * True when a schema node is a field rather than a section. A section's values are
 * always objects, so a string `kind` marks a field even when a section has a key
 * named "kind".
 *
 * @example
 * ```ts
 * import { field, isField } from "./field.ts";
 * console.assert(isField(field.boolean({ default: false, doc: "x" })));
 * console.assert(!isField({ kind: field.string({ default: "", doc: "x" }) }));
 * ```
 */
export function isField(node: unknown): node is Field {
  if (typeof node !== "object" || node === null) return false;
  const kind = (node as { kind?: unknown }).kind;
  return typeof kind === "string" && _KINDS.has(kind);
}
