/**
 * The shape every CLI subcommand has, and the errors that map to exit codes.
 *
 * Exit codes (ARCHITECTURE.md): 0 success; 2 bad usage, bad config or bad input (one line
 * naming the file, key or byte offset and what was expected); 1 any other failure.
 *
 * @module
 */
import type { ParseArgsConfig } from "node:util";

/** Flag definitions in `node:util` parseArgs form. */
export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** What a command receives after flags are parsed. */
export interface CommandContext {
  /** Parsed flag values by name. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positional arguments after the subcommand name. */
  positionals: string[];
  /** True with --verbose. */
  verbose: boolean;
}

/** A subcommand of app/cli/main.ts. */
export interface Command {
  name: string;
  /** One line for the task table in `--help`. */
  summary: string;
  /** Usage and examples, printed by `<task> --help`. */
  help: string;
  /** Flags beyond the common ones (--help, --verbose). */
  flags: FlagSpec;
  /** False for planned tasks whose issue has not landed: `--help` then exits with 2. */
  available?: boolean;
  /** True when positional arguments are accepted (e.g. `info FILE...`). */
  positionals?: boolean;
  /** Runs the command; resolves to the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Bad usage, config or input: exit code 2, printed as one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes used by the CLI. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
