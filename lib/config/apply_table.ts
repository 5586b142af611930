/**
 * Applies one layer (a parsed TOML table) onto a config, checking every key and value
 * against the schema.
 *
 * @module
 */
import { _isTable, checkValue, describeValue } from "./check_value.ts";
import { ConfigError } from "./config_error.ts";
import { isField } from "./field.ts";
import { closestName } from "./levenshtein.ts";
import { listConfigKeys, listSections, type Schema } from "./schema.ts";

/** Where a layer comes from, for error messages. */
export interface LayerContext {
  /** A file name, "--set" or "env NAME". */
  source: string;
  /** What messages start with when there is no line: `--set a.b=c`, `env NAME=value`. */
  where?: string;
  /** Finds the line of a dotted path in the source text. */
  locate?: (path: string[]) => number | undefined;
  /** How a suggested key is written in a hint (default `"run.seed"`). */
  hint?: (key: string) => string;
}

/**
 * Merges `layer` into `config` (mutated): sections and records merge key by key, other
 * values replace. Stops at the first problem with a one-line {@linkcode ConfigError}.
 *
 * @example
 * ```ts
 * import { applyTable } from "./apply_table.ts";
 * import { BASE_SCHEMA } from "./base_schema.ts";
 * import { schemaDefaults } from "./schema.ts";
 * const config = schemaDefaults(BASE_SCHEMA);
 * applyTable(BASE_SCHEMA, config, { run: { seed: 3 } }, { source: "a.toml" });
 * console.assert(config.run.seed === 3);
 * ```
 */
export function applyTable(
  schema: Schema,
  config: Record<string, unknown>,
  layer: Record<string, unknown>,
  context: LayerContext,
): void {
  _applySection(schema, schema, config, layer, [], context);
}

function _applySection(
  root: Schema,
  section: Schema,
  target: Record<string, unknown>,
  layer: Record<string, unknown>,
  prefix: string[],
  context: LayerContext,
): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = [...prefix, key];
    const node = Object.hasOwn(section, key) ? section[key] : undefined;
    if (node === undefined) {
      throw _error(context, [path], _unknownMessage(root, section, path, value, context), path);
    }
    if (isField(node)) {
      const result = checkValue(node, value, path, target[key]);
      if (!result.ok) throw _error(context, [result.path, path], result.message, result.path);
      target[key] = result.value;
      continue;
    }
    if (!_isTable(value)) {
      const names = Object.keys(node).join(", ");
      const message = `${path.join(".")} must be a table (the section [${
        path.join(".")
      }] with keys ${names}): got ${describeValue(value)}`;
      throw _error(context, [path], message, path);
    }
    _applySection(root, node, target[key] as Record<string, unknown>, value, path, context);
  }
}

function _unknownMessage(
  root: Schema,
  section: Schema,
  path: string[],
  value: unknown,
  context: LayerContext,
): string {
  const name = path.join(".");
  const isSection = _isTable(value);
  const candidates = isSection ? listSections(root) : listConfigKeys(root).map((k) => k.key);
  const message = `unknown ${isSection ? "section" : "key"} "${name}"`;
  const nearest = closestName(name, candidates);
  if (nearest !== undefined) {
    return `${message}; did you mean ${(context.hint ?? JSON.stringify)(nearest)}?`;
  }
  const parent = path.slice(0, -1).join(".");
  const known = Object.keys(section);
  const shown = known.length > 15 ? [...known.slice(0, 15), "..."] : known;
  if (known.length === 0) return message;
  return parent === ""
    ? `${message}; known sections: ${shown.join(", ")}`
    : `${message}; [${parent}] has keys ${shown.join(", ")}`;
}

/** A ConfigError located at the first of `paths` found in the source. */
function _error(
  context: LayerContext,
  paths: string[][],
  message: string,
  keyPath: string[],
): ConfigError {
  let line: number | undefined;
  for (const path of paths) {
    line = context.locate?.(path);
    if (line !== undefined) break;
  }
  const where = line !== undefined
    ? `${context.source}:${line}`
    : (context.where ?? context.source);
  return new ConfigError(`${where}: ${message}`, {
    source: context.source,
    key: keyPath.join("."),
    ...(line !== undefined && { line }),
  });
}
