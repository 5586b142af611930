/**
 * The one error class of the config loader.
 *
 * @module
 */

/** Where a {@linkcode ConfigError} comes from. */
export interface ConfigErrorOptions {
  /** A file name, "--set" or "env WORKBENCH_<SECTION>__<KEY>". */
  source: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column in the file, when known (TOML syntax errors). */
  column?: number;
  /** The dotted key at fault, when there is one. */
  key?: string;
}

/**
 * A bad config file, `--set` flag or environment override. The message is one line
 * that starts with where the problem is (`config/x.toml:12: ...`, `--set a.b=c: ...`,
 * `env WORKBENCH_RUN__SEED=x: ...`) and says what was expected. The CLI maps it to
 * exit code 2.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./config_error.ts";
 * const error = new ConfigError('a.toml:3: unknown key "run.sed"', {
 *   source: "a.toml",
 *   line: 3,
 *   key: "run.sed",
 * });
 * console.assert(error.name === "ConfigError" && error.line === 3);
 * ```
 */
export class ConfigError extends Error {
  /** A file name, "--set" or "env WORKBENCH_<SECTION>__<KEY>". */
  readonly source: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  /** 1-based column in the file, when known. */
  readonly column?: number;
  /** The dotted key at fault, when there is one. */
  readonly key?: string;

  constructor(message: string, options: ConfigErrorOptions) {
    super(message);
    this.name = "ConfigError";
    this.source = options.source;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
    if (options.key !== undefined) this.key = options.key;
  }
}
