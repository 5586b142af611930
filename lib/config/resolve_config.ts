/**
 * The layered config: schema defaults, then TOML files, then environment overrides,
 * then `--set` flags.
 *
 * @module
 */
import { parse, TomlError } from "smol-toml";
import { applyTable } from "./apply_table.ts";
import { ConfigError } from "./config_error.ts";
import { ENV_PREFIX, envNameOf, readEnvOverrides } from "./env_overrides.ts";
import { isField } from "./field.ts";
import { locateKeyLine } from "./locate_key.ts";
import { parseSetFlag } from "./parse_set_flag.ts";
import { type InferConfig, type Schema, schemaDefaults } from "./schema.ts";

/** A TOML text and the name it is reported under (usually its path). */
export interface ConfigFile {
  source: string;
  text: string;
}

/** The layers of {@linkcode resolveConfig}, each optional. */
export interface ConfigLayers {
  /** TOML texts in order, later winning (the CLI passes config/default.toml first). */
  files?: readonly ConfigFile[];
  /** Environment variables; those starting with `envPrefix` are overrides. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `section.key=value` texts of `--set` flags, in order. */
  sets?: readonly string[];
  /** Prefix of environment overrides. Default "WORKBENCH_". */
  envPrefix?: string;
}

/**
 * Resolves a config from its layers, later winning: (1) the schema's defaults, (2) each
 * file, (3) environment overrides `WORKBENCH_<SECTION>__<KEY>`, (4) `--set` flags.
 * Sections and records merge key by key; other values replace. Every key and value is
 * checked: the first problem throws a one-line {@linkcode ConfigError} that names the
 * file and line (or flag, or variable) and what was expected.
 *
 * Override values (`--set`, env) are TOML values when they parse as one, else strings;
 * a string field takes the text as given (`--set run.name=2024` is "2024").
 *
 * @returns a plain JSON-serialisable object, fresh on each call.
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, resolveConfig } from "./mod.ts";
 * const config = resolveConfig(BASE_SCHEMA, {
 *   files: [{ source: "my.toml", text: '[run]\nseed = 3\nbackend = "cpu"\n' }],
 *   env: { WORKBENCH_RUN__SEED: "5" },
 *   sets: ["run.name=baseline"],
 * });
 * console.assert(config.run.seed === 5 && config.run.backend === "cpu");
 * console.assert(config.run.name === "baseline");
 * ```
 */
export function resolveConfig<S extends Schema>(
  schema: S,
  layers: ConfigLayers = {},
): InferConfig<S> {
  const config = schemaDefaults(schema) as Record<string, unknown>;
  for (const file of layers.files ?? []) {
    const table = _parseFile(file);
    applyTable(schema, config, table, {
      source: file.source,
      locate: (path) => locateKeyLine(file.text, path),
    });
  }
  const prefix = layers.envPrefix ?? ENV_PREFIX;
  for (const override of readEnvOverrides(schema, layers.env ?? {}, { prefix })) {
    const value = _coerceText(schema, override.path, override.value, override.raw);
    applyTable(schema, config, _nest(override.path, value), {
      source: `env ${override.name}`,
      where: `env ${override.name}=${override.raw}`,
      hint: (key) => `"${key}" (${envNameOf(key, { prefix })})`,
    });
  }
  for (const text of layers.sets ?? []) {
    const flag = parseSetFlag(text);
    const value = _coerceText(schema, flag.path, flag.value, flag.raw);
    applyTable(schema, config, _nest(flag.path, value), {
      source: "--set",
      where: `--set ${text}`,
    });
  }
  return config as InferConfig<S>;
}

function _parseFile(file: ConfigFile): Record<string, unknown> {
  try {
    return parse(file.text, { unsafeKeyBehaviour: "throw" });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.replace(/^Invalid TOML document: /, "").split("\n")[0];
    throw new ConfigError(
      `${file.source}:${error.line}:${error.column}: TOML syntax error: ${reason}`,
      { source: file.source, line: error.line, column: error.column },
    );
  }
}

/** A string field takes an override's text as given, even when it reads as a number. */
function _coerceText(schema: Schema, path: string[], value: unknown, raw: string): unknown {
  let node: unknown = schema;
  for (const segment of path) {
    if (isField(node) || !Object.hasOwn(node as Schema, segment)) return value;
    node = (node as Schema)[segment];
  }
  if (!isField(node) || typeof value === "string") return value;
  if (node.kind === "string" || (node.kind === "string|string[]" && !Array.isArray(value))) {
    return raw;
  }
  return value;
}

/** `["train", "lr"], 1` -> `{ train: { lr: 1 } }`, safe for any key. */
function _nest(path: string[], value: unknown): Record<string, unknown> {
  let table: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const outer: Record<string, unknown> = Object.create(null);
    outer[path[i]] = table;
    table = outer;
  }
  return table as Record<string, unknown>;
}
