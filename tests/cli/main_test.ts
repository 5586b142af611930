/**
 * The CLI as users run it: a subprocess with the permissions deno.json gives each task.
 */
import assert from "node:assert/strict";
import { READ_ONLY, runCli } from "../_support/cli.ts";

function cli(args: string[]) {
  return runCli(args, READ_ONLY);
}

async function withConfig(text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/my.toml`;
  await Deno.writeTextFile(path, text);
  try {
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const TASKS = [
  "train",
  "preprocess",
  "sample",
  "segment",
  "evaluate",
  "metrics",
  "meta-dataset",
  "info",
  "build",
  "serve",
  "bench",
];
const PENDING = new Set(["sample", "metrics"]);

Deno.test("every task answers --help; tasks not built yet say so and exit 2", async () => {
  for (const task of TASKS) {
    const { code, stdout } = await cli([task, "--help"]);
    assert.match(stdout, new RegExp(`deno task ${task}`), `${task} --help`);
    if (PENDING.has(task)) {
      assert.equal(code, 2, `${task} --help exit code`);
      assert.match(stdout, /NOT AVAILABLE YET: .* arrives with /);
    } else {
      assert.equal(code, 0, `${task} --help exit code`);
    }
  }
});

Deno.test("the top-level help lists every task; no task is exit 2 with usage", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  for (const task of TASKS) assert.match(help.stdout, new RegExp(`^  ${task} `, "m"));
  const none = await cli([]);
  assert.equal(none.code, 2);
  const unknown = await cli(["trian"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: unknown task "trian"; expected one of: train, /);
});

Deno.test("an unknown flag is one line and exit 2", async () => {
  const { code, stderr } = await cli(["train", "--lr", "3"]);
  assert.equal(code, 2);
  assert.equal(stderr.trim().split("\n").length, 1);
  assert.match(stderr, /^error: train: Unknown option '--lr'.*\(see: deno task train --help\)/);
});

Deno.test("a valid config file loads: --print-config shows the layered values", async () => {
  await withConfig('[run]\nseed = 7\nname = "pilot"\n', async (path) => {
    const { code, stdout } = await cli([
      "train",
      "--config",
      path,
      "--set",
      "run.seed=9",
      "--backend",
      "cpu",
      "--print-config",
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /^seed = 9$/m); // --set wins over the file
    assert.match(stdout, /^name = "pilot"$/m); // the file wins over default.toml
    assert.match(stdout, /^backend = "cpu"$/m);
  });
});

Deno.test("bad configs give one line naming file, line and what was expected, exit 2", async () => {
  const cases: [string, RegExp][] = [
    [
      "[run]\nseed = 1\nsed = 3\n",
      /^error: .*my\.toml:3: unknown key "run\.sed"; did you mean "run\.seed"\?$/,
    ],
    [
      '[run]\nseed = "many"\n',
      /^error: .*my\.toml:2: run\.seed must be an integer: got "many" \(string\)$/,
    ],
    ["[run]\nseed = = 3\n", /^error: .*my\.toml:2:\d+: TOML syntax error: /],
    ["[runn]\nseed = 1\n", /^error: .*my\.toml:1: unknown section "runn"; did you mean "run"\?$/],
  ];
  for (const [text, expected] of cases) {
    await withConfig(text, async (path) => {
      const { code, stderr } = await cli(["train", "--config", path]);
      assert.equal(code, 2, `exit code for ${JSON.stringify(text)}: ${stderr}`);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.match(stderr.trim(), expected);
    });
  }
});

Deno.test("a missing config file is exit 2 naming the path", async () => {
  const { code, stderr } = await cli(["train", "--config", "/nonexistent/x.toml"]);
  assert.equal(code, 2);
  assert.equal(
    stderr.trim(),
    "error: Cannot read config file /nonexistent/x.toml as it does not exist",
  );
});

Deno.test("a bad --set and a bad --backend are exit 2", async () => {
  const set = await cli(["train", "--set", "run.seed"]);
  assert.equal(set.code, 2);
  assert.match(set.stderr, /^error: --set run\.seed: /);
  const backend = await cli(["train", "--backend", "tpu"]);
  assert.equal(backend.code, 2);
  assert.match(
    backend.stderr,
    /run\.backend must be one of "auto", "webgpu", "wasm", "cpu": got "tpu"/,
  );
});

Deno.test("--verbose adds the stack to the one-line error", async () => {
  const { code, stderr } = await cli(["train", "--config", "/nonexistent/x.toml", "--verbose"]);
  assert.equal(code, 2);
  assert.ok(stderr.trim().split("\n").length > 1);
  assert.match(stderr, /at .*task_config\.ts/);
});
