/**
 * Schemas: nested sections of typed fields, the config type derived from them, and
 * walks over them (defaults, key lists).
 *
 * @module
 */
import { type Field, isField } from "./field.ts";

/**
 * A section: named fields and nested sections (`[train]`, `[model.unet]`). The top
 * level of a schema is a section whose entries are usually sections.
 */
export interface Schema {
  readonly [key: string]: Field | Schema;
}

type _InferNode<N> = N extends Field<infer T> ? T : N extends Schema ? InferConfig<N> : never;

/**
 * The plain config object a schema describes: sections become objects, fields their
 * values.
 *
 * @example
 * ```ts
 * import { defineSchema, field, type InferConfig } from "./mod.ts";
 * const schema = defineSchema({ train: { lr: field.number({ default: 1e-3, doc: "LR" }) } });
 * const config: InferConfig<typeof schema> = { train: { lr: 0.01 } };
 * console.assert(config.train.lr === 0.01);
 * ```
 */
export type InferConfig<S> = { -readonly [K in keyof S]: _InferNode<S[K]> };

/** A resolved config: what `resolveConfig` returns, JSON-serialisable. */
export type ResolvedConfig<S extends Schema = Schema> = InferConfig<S>;

/**
 * Checks a schema literal and keeps its exact type (so choices stay literal unions).
 *
 * @example
 * ```ts
 * import { defineSchema, field } from "./mod.ts";
 * const schema = defineSchema({ run: { seed: field.integer({ default: 0, doc: "Seed" }) } });
 * console.assert(schema.run.seed.default === 0);
 * ```
 */
export function defineSchema<const S extends Schema>(schema: S): S {
  return schema;
}

/**
 * The config that holds every field's default (fresh copies, safe to mutate).
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, schemaDefaults } from "./mod.ts";
 * const config = schemaDefaults(BASE_SCHEMA);
 * console.assert(config.run.seed === 0 && config.run.backend === "auto");
 * ```
 */
export function schemaDefaults<S extends Schema>(schema: S): InferConfig<S> {
  const config: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(schema)) {
    config[key] = isField(node) ? structuredClone(node.default) : schemaDefaults(node);
  }
  return config as InferConfig<S>;
}

/** One field of a schema with its full dotted name. */
export interface ConfigKey {
  /** Dotted name, e.g. "train.lr". */
  key: string;
  /** Path segments, e.g. ["train", "lr"]. */
  path: string[];
  field: Field;
}

/**
 * Every field of a schema in declaration order, with dotted names (for `--help`, hints
 * and key completion).
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, listConfigKeys } from "./mod.ts";
 * const keys = listConfigKeys(BASE_SCHEMA).map((k) => k.key);
 * console.assert(keys.includes("run.seed"));
 * ```
 */
export function listConfigKeys(schema: Schema): ConfigKey[] {
  const keys: ConfigKey[] = [];
  _walk(schema, [], (path, node) => {
    if (isField(node)) keys.push({ key: path.join("."), path, field: node });
  });
  return keys;
}

/**
 * The dotted names of every section (nested ones included), in declaration order.
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, listSections } from "./mod.ts";
 * console.assert(listSections(BASE_SCHEMA).join() === "run");
 * ```
 */
export function listSections(schema: Schema): string[] {
  const sections: string[] = [];
  _walk(schema, [], (path, node) => {
    if (!isField(node)) sections.push(path.join("."));
  });
  return sections;
}

function _walk(
  schema: Schema,
  prefix: string[],
  visit: (path: string[], node: Field | Schema) => void,
): void {
  for (const [key, node] of Object.entries(schema)) {
    const path = [...prefix, key];
    visit(path, node);
    if (!isField(node)) _walk(node, path, visit);
  }
}
