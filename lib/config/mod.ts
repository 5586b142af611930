/**
 * Layered, validated TOML configuration.
 *
 * A task describes its config with a {@linkcode Schema} (sections of typed
 * {@linkcode field}s with defaults and docs, composed with {@linkcode extendSchema}),
 * then {@linkcode resolveConfig} merges, later winning: the schema's defaults, TOML
 * texts (config/default.toml, then the user's `--config FILE`), environment overrides
 * `WORKBENCH_<SECTION>__<KEY>`, and `--set section.key=value` flags. Every problem is a
 * one-line {@linkcode ConfigError} naming the file and line, flag or variable.
 * Pure TypeScript: files are read by the caller, so this runs in browsers too.
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, extendSchema, field, renderConfig, resolveConfig } from "./mod.ts";
 * const schema = extendSchema(BASE_SCHEMA, {
 *   train: { lr: field.number({ default: 1e-3, doc: "Peak learning rate", min: 0 }) },
 * });
 * const config = resolveConfig(schema, { sets: ["train.lr=3e-4"] });
 * console.assert(config.train.lr === 3e-4);
 * console.assert(renderConfig(config, { schema }).includes("lr = 0.0003"));
 * ```
 *
 * @module
 */
export * from "./field.ts";
export * from "./schema.ts";
export * from "./extend_schema.ts";
export * from "./base_schema.ts";
export * from "./config_error.ts";
export * from "./resolve_config.ts";
export * from "./render_config.ts";
export * from "./parse_set_flag.ts";
export * from "./env_overrides.ts";
export * from "./locate_key.ts";
export { closestName, levenshteinDistance } from "./levenshtein.ts";
export { type CheckResult, checkValue, describeValue } from "./check_value.ts";
