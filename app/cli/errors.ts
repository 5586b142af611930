/**
 * How errors become one line and an exit code.
 *
 * @module
 */
import { EXIT } from "./command.ts";

/** Error classes (by name) that mean bad usage, config or input: exit code 2. */
const _USAGE_ERRORS = new Set([
  "UsageError",
  "ConfigError",
  "BackendUnavailableError",
  "NotFoundError",
  "EdfFormatError",
  "SyntaxError",
  "RangeError",
  "TypeError",
]);

/**
 * Errors thrown by our own validation carry a domain class; plain TypeErrors from a bug
 * deep in a dependency would also land on 2, so only errors raised with our message
 * convention ("Cannot ...") or a domain class count as bad input.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof Deno.errors.NotFound) return EXIT.usage;
  if (!(error instanceof Error)) return EXIT.failure;
  if (!_USAGE_ERRORS.has(error.name)) return EXIT.failure;
  if (["TypeError", "RangeError", "SyntaxError"].includes(error.name)) {
    return error.message.startsWith("Cannot ") ? EXIT.usage : EXIT.failure;
  }
  return EXIT.usage;
}

/** One line for the terminal (with the stack when verbose). */
export function formatError(error: unknown, options: { verbose: boolean; task?: string }): string {
  const prefix = "error: ";
  if (!(error instanceof Error)) return prefix + String(error);
  const firstLine = error.message.split("\n")[0];
  const line = prefix + firstLine;
  if (!options.verbose) return line;
  return `${line}\n${error.stack ?? ""}`;
}
