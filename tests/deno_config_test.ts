import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);
const readJsonc = async (name: string) =>
  JSON.parse((await Deno.readTextFile(new URL(name, root))).replace(/^\s*\/\/.*$/gm, ""));

Deno.test("deno.browser.json uses exactly deno.json's pinned imports", async () => {
  const main = await readJsonc("deno.json");
  const browser = await readJsonc("deno.browser.json");
  assert.deepEqual(browser.imports, main.imports);
  for (const [name, spec] of Object.entries(main.imports as Record<string, string>)) {
    assert.match(
      spec,
      /^npm:\/?(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+\/?$/,
      `${name} is not exact-pinned`,
    );
  }
});

Deno.test("tasks run with narrow permissions: no -A, network only for serve and test on 127.0.0.1", async () => {
  const tasks = (await readJsonc("deno.json")).tasks as Record<string, string>;
  for (
    const name of [
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
      "test",
      "bench",
      "check",
    ]
  ) {
    assert.ok(tasks[name] !== undefined, `task ${name} is missing`);
    assert.doesNotMatch(tasks[name], /(^|\s)(-A|--allow-all)(\s|$)/, `${name} uses --allow-all`);
    let command = tasks[name];
    if (name === "test") {
      // The test task runs `deno test` in a child process with the permissions listed there.
      assert.match(command, /app\/cli\/run_tests\.ts/);
      command += " " + await Deno.readTextFile("app/cli/run_tests.ts");
    }
    const net = command.match(/--allow-net(=[^\s"]+)?/g) ?? [];
    if (name === "serve" || name === "test") {
      assert.deepEqual(net, ["--allow-net=127.0.0.1"], `${name} network permission`);
    } else {
      assert.deepEqual(net, [], `${name} must not have network permission`);
    }
  }
});
