/**
 * Loading a task's configuration from the command line: config/default.toml, then
 * `--config FILE`, then WORKBENCH_* environment variables, then `--set` overrides, with
 * `--backend` and `--out` as shorthands for `--set run.backend=` and `--set run.out=`.
 *
 * @module
 */
import { type FlagSpec, UsageError } from "./command.ts";
import { BASE_SCHEMA, renderConfig, resolveConfig, type Schema } from "../../lib/config/mod.ts";

/** Flags every task with a config accepts. */
export const CONFIG_FLAGS: FlagSpec = {
  config: { type: "string" },
  set: { type: "string", multiple: true },
  backend: { type: "string" },
  out: { type: "string" },
  "print-config": { type: "boolean" },
};

/** Help text for {@linkcode CONFIG_FLAGS}. */
export const CONFIG_FLAGS_HELP = [
  "  --config FILE            TOML config, layered over config/default.toml",
  "  --set section.key=value  override one key (repeatable), e.g. --set run.seed=7",
  "  --backend NAME           auto | webgpu | wasm | cpu (same as --set run.backend=NAME)",
  "  --out DIR                output folder (same as --set run.out=DIR)",
  "  --print-config           print the resolved config as TOML and exit",
  "  --verbose                show stack traces on errors",
].join("\n");

const _DEFAULT_TOML = new URL("../../config/default.toml", import.meta.url);

async function _readConfigFile(path: string | URL, label: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`Cannot read config file ${label} as it does not exist`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UsageError(`Cannot read config file ${label} as it is a directory`);
    }
    throw error;
  }
}

/** Resolves the config for a task from its parsed flags. */
export async function loadTaskConfig(
  values: Record<string, unknown>,
  schema: Schema = BASE_SCHEMA,
): Promise<Record<string, unknown>> {
  const files = [{
    source: "config/default.toml",
    text: await _readConfigFile(_DEFAULT_TOML, "config/default.toml"),
  }];
  const configPath = values.config;
  if (typeof configPath === "string") {
    files.push({ source: configPath, text: await _readConfigFile(configPath, configPath) });
  }
  const sets = [...((values.set as string[] | undefined) ?? [])];
  if (typeof values.backend === "string") sets.push(`run.backend=${values.backend}`);
  if (typeof values.out === "string") sets.push(`run.out=${JSON.stringify(values.out)}`);
  return resolveConfig(schema, { files, env: Deno.env.toObject(), sets }) as Record<
    string,
    unknown
  >;
}

/** Prints the resolved config when `--print-config` was given; returns whether it did. */
export function maybePrintConfig(
  values: Record<string, unknown>,
  config: object,
  schema: Schema = BASE_SCHEMA,
): boolean {
  if (values["print-config"] !== true) return false;
  console.log(renderConfig(config as Record<string, unknown>, { schema }));
  return true;
}
