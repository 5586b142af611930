/**
 * The command-line entry point: `deno task <name>` runs `app/cli/main.ts <name> ...`.
 *
 * This folder is the only code that touches `Deno.*`; everything it runs lives in lib/.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Command, EXIT, UsageError } from "./command.ts";
import { COMMANDS } from "./commands/mod.ts";
import { exitCodeFor, formatError } from "./errors.ts";

const _COMMON_FLAGS = {
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean" },
} as const;

/** The top-level help: every task with its one-line summary. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: deno task <task> [flags]   (or: deno run ... app/cli/main.ts <task> [flags])",
    "",
    "Tasks:",
    ...rows,
    "",
    "Every task answers --help. Exit codes: 0 success, 2 bad usage/config/input, 1 failure.",
    "Add --verbose to any task to see stack traces.",
  ].join("\n");
}

/** Runs one CLI invocation and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) {
      throw new UsageError(
        `unknown task "${name}"; expected one of: ${COMMANDS.map((c) => c.name).join(", ")}`,
      );
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ..._COMMON_FLAGS, ...command.flags },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${name}: ${(error as Error).message} (see: deno task ${name} --help)`);
    }
    if (parsed.values.help === true) {
      console.log(command.help);
      return command.available === false ? EXIT.usage : EXIT.ok;
    }
    if (!command.positionals && parsed.positionals.length > 0) {
      throw new UsageError(
        `${name}: unexpected argument "${parsed.positionals[0]}" (see: deno task ${name} --help)`,
      );
    }
    return await command.run({
      values: parsed.values as Record<string, string | boolean | (string | boolean)[]>,
      positionals: parsed.positionals,
      verbose,
    });
  } catch (error) {
    console.error(formatError(error, { verbose, task: name }));
    return exitCodeFor(error);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
