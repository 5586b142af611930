/**
 * Tasks whose issue has not landed yet: they answer --help, validate their config (so
 * presets can be written and checked already), and otherwise say plainly that the work
 * is not there yet, with exit code 2.
 *
 * @module
 */
import { type Command, UsageError } from "../command.ts";
import {
  CONFIG_FLAGS,
  CONFIG_FLAGS_HELP,
  loadTaskConfig,
  maybePrintConfig,
} from "../task_config.ts";

/** Describes a task that is planned but not built. */
export interface PendingTask {
  name: string;
  summary: string;
  /** What the issue that builds it is called, and its number. */
  issue: string;
  /** Usage line(s) the finished task will have. */
  usage: string;
  /** True when the task takes --config/--set/--backend/--out. */
  configured: boolean;
}

/** Builds a {@linkcode Command} for a planned task. */
export function pendingCommand(task: PendingTask): Command {
  const notYet = `${task.name} is not available yet: it arrives with ${task.issue}`;
  return {
    name: task.name,
    summary: `${task.summary} (not built yet)`,
    help: [
      `deno task ${task.name}: ${task.summary}`,
      "",
      `NOT AVAILABLE YET: ${task.name} arrives with ${task.issue}; until then it exits with code 2.`,
      task.configured ? "Its config is already validated (try --print-config)." : "",
      "",
      "Usage:",
      `  ${task.usage}`,
      "",
      "Flags:",
      task.configured
        ? CONFIG_FLAGS_HELP
        : "  --verbose                show stack traces on errors",
    ].filter((line, i, all) => !(line === "" && all[i - 1] === "")).join("\n"),
    available: false,
    flags: task.configured ? CONFIG_FLAGS : {},
    positionals: !task.configured,
    async run(ctx) {
      if (task.configured) {
        const config = await loadTaskConfig(ctx.values);
        if (maybePrintConfig(ctx.values, config)) return 0;
      }
      throw new UsageError(notYet);
    },
  };
}
