/**
 * Composing schemas: each task adds its sections to the base schema.
 *
 * @module
 */
import { type Field, isField } from "./field.ts";
import type { Schema } from "./schema.ts";

/** The type of `extendSchema(A, B)`: sections merge, a field in `B` replaces one in `A`. */
export type MergeSchemas<A, B> = {
  [K in keyof A | keyof B]: K extends keyof B ? K extends keyof A ? B[K] extends Field ? B[K]
      : A[K] extends Field ? B[K]
      : MergeSchemas<A[K], B[K]>
    : B[K]
    : K extends keyof A ? A[K]
    : never;
};

/**
 * Merges two schemas: sections with the same name merge recursively, and a field of
 * `extra` replaces the base field of the same name (to change a default for one task).
 * Neither input is modified.
 *
 * @throws {TypeError} when a name is a field in one schema and a section in the other.
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, extendSchema, field, schemaDefaults } from "./mod.ts";
 * const schema = extendSchema(BASE_SCHEMA, {
 *   train: { lr: field.number({ default: 1e-3, doc: "Peak learning rate", min: 0 }) },
 * });
 * const config = schemaDefaults(schema);
 * console.assert(config.train.lr === 1e-3 && config.run.seed === 0);
 * ```
 */
export function extendSchema<const A extends Schema, const B extends Schema>(
  base: A,
  extra: B,
): MergeSchemas<A, B> {
  return _merge(base, extra, []) as MergeSchemas<A, B>;
}

function _merge(base: Schema, extra: Schema, prefix: string[]): Schema {
  const merged: Record<string, Field | Schema> = { ...base };
  for (const [key, node] of Object.entries(extra)) {
    const name = [...prefix, key].join(".");
    const existing = Object.hasOwn(base, key) ? base[key] : undefined;
    if (existing === undefined) {
      merged[key] = node;
    } else if (isField(existing) !== isField(node)) {
      const was = isField(existing) ? "a field" : "a section";
      const now = isField(node) ? "a field" : "a section";
      throw new TypeError(
        `Cannot extend the schema as "${name}" must stay ${was}: current value is ${now}`,
      );
    } else {
      merged[key] = isField(node) ? node : _merge(existing as Schema, node, [...prefix, key]);
    }
  }
  return merged;
}
