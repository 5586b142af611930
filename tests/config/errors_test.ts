import assert from "node:assert/strict";
import { BASE_SCHEMA, ConfigError, parseSetFlag, resolveConfig } from "../../lib/config/mod.ts";
import { catchConfigError, TEST_SCHEMA } from "./_schema.ts";

const SOURCE = "config/x.toml";

function fileError(text: string): ConfigError {
  return catchConfigError(() => resolveConfig(TEST_SCHEMA, { files: [{ source: SOURCE, text }] }));
}

Deno.test("an unknown key names the file, line and nearest valid key", () => {
  const text = "# comment\n\n[run]\nseed = 1\n\n[train]\nepochs = 3\n\nlrr = 0.1\n";
  const error = fileError(text);
  assert.equal(error.message, 'config/x.toml:9: unknown key "train.lrr"; did you mean "train.lr"?');
  assert.equal(error.name, "ConfigError");
  assert.equal(error.source, SOURCE);
  assert.equal(error.line, 9);
  assert.equal(error.key, "train.lrr");
});

Deno.test("an unknown key in a nested section or a dotted key is located", () => {
  const nested = fileError("[train]\nlr = 1\n\n[train.optimizer]\nnme = 'sgd'\n");
  assert.equal(
    nested.message,
    'config/x.toml:5: unknown key "train.optimizer.nme"; did you mean "train.optimizer.name"?',
  );
  const dotted = fileError("[run]\nseed = 1\n\n[train]\noptimizer.momentun = 0.5\n");
  assert.equal(
    dotted.message,
    'config/x.toml:5: unknown key "train.optimizer.momentun"; ' +
      'did you mean "train.optimizer.momentum"?',
  );
});

Deno.test("an unknown key with no near name lists the section's keys", () => {
  const error = fileError("[run]\nbatch_size_of_everything = 4\n");
  assert.equal(
    error.message,
    'config/x.toml:2: unknown key "run.batch_size_of_everything"; [run] has keys seed, backend, out, name',
  );
});

Deno.test("an unknown section names its header line and the nearest section", () => {
  const error = fileError("[run]\nseed = 1\n\n[trian]\nlr = 0.1\n");
  assert.equal(error.message, 'config/x.toml:4: unknown section "trian"; did you mean "train"?');
  assert.equal(error.line, 4);
  const far = catchConfigError(() =>
    resolveConfig(BASE_SCHEMA, {
      files: [{ source: SOURCE, text: "[augmentation]\nflip = true\n" }],
    })
  );
  assert.equal(far.message, 'config/x.toml:1: unknown section "augmentation"; known sections: run');
});

Deno.test("a wrong type names the key, the expected type and the value", () => {
  assert.equal(
    fileError('[run]\nseed = 1\n\n[train]\nlr = "abc"\n').message,
    'config/x.toml:5: train.lr must be a number: got "abc" (string)',
  );
  assert.equal(
    fileError("[run]\nseed = 1.5\n").message,
    "config/x.toml:2: run.seed must be an integer: got 1.5 (number)",
  );
  assert.equal(
    fileError("[train]\namp = 1\n").message,
    "config/x.toml:2: train.amp must be a boolean (true or false): got 1 (number)",
  );
  assert.equal(
    fileError('[train]\nbetas = [0.9, "x"]\n').message,
    'config/x.toml:2: train.betas[1] must be a number: got "x" (string)',
  );
  assert.equal(
    fileError("[data]\nroot = 3\n").message,
    "config/x.toml:2: data.root must be a string or a list of strings: got 3 (number)",
  );
  assert.equal(
    fileError("[train]\nlr = nan\n").message,
    "config/x.toml:2: train.lr must be a finite number: got nan (number)",
  );
  assert.equal(
    fileError("[run]\nname = 1979-05-27\n").message,
    "config/x.toml:2: run.name must be a string: got 1979-05-27 (date)",
  );
  assert.equal(
    fileError("run = 5\n").message,
    "config/x.toml:1: run must be a table (the section [run] with keys seed, backend, out, name): " +
      "got 5 (number)",
  );
});

Deno.test("a record entry of the wrong type is located at its own line", () => {
  const error = fileError("[train.task_weights]\ngender = 1\nage = 'high'\n");
  assert.equal(
    error.message,
    'config/x.toml:3: train.task_weights.age must be a number: got "high" (string)',
  );
  assert.equal(error.key, "train.task_weights.age");
  assert.equal(
    fileError("[train]\ntask_weights = [1, 2]\n").message,
    "config/x.toml:2: train.task_weights must be a table of numbers (e.g. { a = 1 }): " +
      "got [1, 2] (array)",
  );
});

Deno.test("a value out of its choices lists them", () => {
  assert.equal(
    fileError('[run]\nbackend = "gpu"\n').message,
    'config/x.toml:2: run.backend must be one of "auto", "webgpu", "wasm", "cpu": got "gpu"',
  );
  assert.equal(
    fileError('[data]\ntasks = ["gender", "mood"]\n').message,
    'config/x.toml:2: data.tasks[1] must be one of "gender", "health", "age": got "mood"',
  );
});

Deno.test("a value out of range states the bound", () => {
  assert.equal(
    fileError("[train]\nlr = -0.1\n").message,
    "config/x.toml:2: train.lr must be >= 0: got -0.1",
  );
  assert.equal(
    fileError("[data]\nimage_size = 4096\n").message,
    "config/x.toml:2: data.image_size must be between 8 and 1024: got 4096",
  );
  assert.equal(
    fileError("[train.task_weights]\nage = -1\n").message,
    "config/x.toml:2: train.task_weights.age must be >= 0: got -1",
  );
});

Deno.test("a TOML syntax error gives file, line, column and a short reason", () => {
  const error = fileError("[run]\nseed = 1\nname = 'unterminated\n");
  assert.equal(
    error.message,
    "config/x.toml:3:21: TOML syntax error: control characters are not allowed in strings",
  );
  assert.equal(error.line, 3);
  assert.equal(error.column, 21);
  assert.equal(
    fileError("[run]\nseed = 1\nseed = 2\n").message,
    "config/x.toml:3:1: TOML syntax error: trying to redefine an already defined table or value",
  );
  assert.equal(error.message.includes("\n"), false);
});

Deno.test("--set problems name the flag and what was expected", () => {
  const set = (...sets: string[]) =>
    catchConfigError(() => resolveConfig(TEST_SCHEMA, { sets })).message;
  assert.equal(
    set("train.lr=abc"),
    '--set train.lr=abc: train.lr must be a number: got "abc" (string)',
  );
  assert.equal(
    set("train.lrr=0.1"),
    '--set train.lrr=0.1: unknown key "train.lrr"; did you mean "train.lr"?',
  );
  assert.equal(
    set("run.backend=gpu"),
    '--set run.backend=gpu: run.backend must be one of "auto", "webgpu", "wasm", "cpu": got "gpu"',
  );
  assert.equal(
    set("train.lr"),
    "--set train.lr: expected the form --set section.key=value (e.g. --set run.seed=7), " +
      "but it has no '='",
  );
  assert.equal(
    set("=3"),
    "--set =3: expected the form --set section.key=value (e.g. --set run.seed=7), " +
      "but the key is empty",
  );
  assert.equal(
    set("run..seed=3"),
    "--set run..seed=3: expected the form --set section.key=value (e.g. --set run.seed=7), " +
      "but the key must be dotted names of letters, digits, '_' or '-'",
  );
  const error = catchConfigError(() => parseSetFlag("run.seed"));
  assert.equal(error.source, "--set");
  assert.equal(error.line, undefined);
});

Deno.test("environment overrides that name no key are errors with a hint", () => {
  const env = (vars: Record<string, string>) =>
    catchConfigError(() => resolveConfig(TEST_SCHEMA, { env: vars }));
  const typo = env({ WORKBENCH_RUN__SEDE: "7" });
  assert.equal(
    typo.message,
    'env WORKBENCH_RUN__SEDE=7: unknown key "run.sede"; did you mean "run.seed" ' +
      "(WORKBENCH_RUN__SEED)?",
  );
  assert.equal(typo.source, "env WORKBENCH_RUN__SEDE");
  assert.equal(
    env({ WORKBENCH_RUN_SEED: "7" }).message,
    'env WORKBENCH_RUN_SEED=7: unknown key "run_seed"; did you mean "run.seed" ' +
      "(WORKBENCH_RUN__SEED)?",
  );
  assert.equal(
    env({ WORKBENCH_RUN__SEED: "seven" }).message,
    'env WORKBENCH_RUN__SEED=seven: run.seed must be an integer: got "seven" (string)',
  );
  // Variables without the prefix are not ours.
  assert.deepEqual(
    resolveConfig(BASE_SCHEMA, { env: { RUN__SEED: "x", WORKBENCHX: "y" } }).run.seed,
    0,
  );
});

Deno.test("error messages are single lines", () => {
  const messages = [
    fileError("[run\n").message,
    fileError("[trian]\n").message,
    fileError('[run]\nbackend = "x"\n').message,
  ];
  for (const message of messages) assert.equal(message.includes("\n"), false, message);
});
