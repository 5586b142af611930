/**
 * Environment overrides: `WORKBENCH_<SECTION>__<KEY>=value`.
 *
 * @module
 */
import { isField } from "./field.ts";
import { parseOverrideValue } from "./parse_set_flag.ts";
import type { Schema } from "./schema.ts";

/** The default prefix of environment overrides. */
export const ENV_PREFIX = "WORKBENCH_";

/** One environment variable read as a config override. */
export interface EnvOverride {
  /** The variable's name as given, e.g. "WORKBENCH_RUN__SEED". */
  name: string;
  /** Its key path, matched to the schema's spelling where it names a key. */
  path: string[];
  /** The value parsed as TOML, or the raw text. */
  value: unknown;
  /** The variable's value as given. */
  raw: string;
}

/**
 * Picks the variables that start with `prefix` (case-insensitive) and splits the rest
 * of each name at double underscores into a key path: `WORKBENCH_TRAIN__TASK_WEIGHTS`
 * is `train.task_weights`. Names are matched to schema keys case-insensitively. Every
 * variable with the prefix is returned, so one that names no key can be reported.
 * Sorted by name, so the order does not depend on the environment's.
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, readEnvOverrides } from "./mod.ts";
 * const [seed] = readEnvOverrides(BASE_SCHEMA, { WORKBENCH_RUN__SEED: "7", HOME: "/root" });
 * console.assert(seed.path.join(".") === "run.seed" && seed.value === 7);
 * ```
 */
export function readEnvOverrides(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
  options: { prefix?: string } = {},
): EnvOverride[] {
  const prefix = (options.prefix ?? ENV_PREFIX).toUpperCase();
  const overrides: EnvOverride[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.toUpperCase().startsWith(prefix)) continue;
    const segments = name.slice(prefix.length).split("__");
    overrides.push({
      name,
      path: _matchCase(schema, segments),
      value: parseOverrideValue(raw),
      raw,
    });
  }
  return overrides.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The environment variable that sets a dotted key.
 *
 * @example
 * ```ts
 * import { envNameOf } from "./env_overrides.ts";
 * console.assert(envNameOf("train.task_weights") === "WORKBENCH_TRAIN__TASK_WEIGHTS");
 * ```
 */
export function envNameOf(key: string, options: { prefix?: string } = {}): string {
  return (options.prefix ?? ENV_PREFIX) + key.split(".").join("__").toUpperCase();
}

function _matchCase(schema: Schema, segments: string[]): string[] {
  const path: string[] = [];
  let node: Schema | undefined = schema;
  for (const segment of segments) {
    const lower = segment.toLowerCase();
    const key: string = node === undefined
      ? lower
      : Object.keys(node).find((k) => k.toLowerCase() === lower) ?? lower;
    path.push(key);
    const next: unknown = node !== undefined && Object.hasOwn(node, key) ? node[key] : undefined;
    node = next !== undefined && !isField(next) ? next as Schema : undefined;
  }
  return path;
}
