/**
 * Test support: the CLI as users run it, a `deno run` subprocess of app/cli/main.ts with
 * the permissions deno.json gives the task.
 *
 * @module
 */

const _ROOT = new URL("../../", import.meta.url).pathname;

/** Permissions of tasks that only read (info, --help, config checks). */
export const READ_ONLY = ["--allow-read", "--allow-env"];
/** Permissions of tasks that write outputs (preprocess, train, evaluate, meta-dataset). */
export const READ_WRITE = ["--allow-read", "--allow-write", "--allow-env"];

/** Exit code and decoded output of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts ...args` from the project root with `permissions` and no colours. */
export async function runCli(args: string[], permissions = READ_ONLY): Promise<CliResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, `${_ROOT}app/cli/main.ts`, ...args],
    cwd: _ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
