/**
 * The test-task runner (app/cli/run_tests.ts) passes statuses on, except an abort at exit
 * after a summary with no failures and glibc's heap message on stderr.
 */
import assert from "node:assert/strict";
import { isTeardownAbort } from "../../app/cli/run_tests.ts";

const RUNNER = new URL("../../app/cli/run_tests.ts", import.meta.url).pathname;
const ESC = String.fromCharCode(27);
const PASSED = `${ESC}[32mok${ESC}[0m | 543 passed (10 steps) | 0 failed ${ESC}[38;5;245m(2m21s)`;
const FAILED = `${ESC}[31mFAILED${ESC}[0m | 530 passed (10 steps) | 1 failed (3m17s)`;
const GLIBC = "corrupted size vs. prev_size in fastbins\n";

Deno.test("run_tests: only SIGABRT after a summary without failures and glibc's message is a pass", () => {
  assert.equal(isTeardownAbort({ signal: "SIGABRT", stdout: PASSED, stderr: GLIBC }), true);
  assert.equal(isTeardownAbort({ signal: "SIGABRT", stdout: FAILED, stderr: GLIBC }), false);
  assert.equal(isTeardownAbort({ signal: "SIGABRT", stdout: "one ... ok", stderr: GLIBC }), false);
  assert.equal(isTeardownAbort({ signal: "SIGABRT", stdout: PASSED, stderr: "panic" }), false);
  assert.equal(isTeardownAbort({ signal: "SIGSEGV", stdout: PASSED, stderr: GLIBC }), false);
  assert.equal(isTeardownAbort({ signal: null, stdout: PASSED, stderr: "" }), false);
});

Deno.test("run_tests: a child's pass, failure and crash reach the exit status", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases = [
      { body: `Deno.test("one", () => {});`, code: 0 },
      { body: `Deno.test("one", () => { throw new Error("fails"); });`, code: 1 },
      // An abort before the summary (here inside unload) stays a failure.
      {
        body: `Deno.test("one", () => {});
          globalThis.addEventListener("unload", () => {
            console.error("corrupted size vs. prev_size in fastbins");
            Deno.kill(Deno.pid, "SIGABRT");
          });`,
        code: 134,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const file = `${dir}/case${i}_test.ts`;
      await Deno.writeTextFile(file, c.body);
      const { code } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-run", "--allow-read", "--allow-env", RUNNER, file],
        stdout: "null",
        stderr: "null",
      }).output();
      assert.equal(code, c.code, c.body);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
