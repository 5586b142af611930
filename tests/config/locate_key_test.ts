import assert from "node:assert/strict";
import { locateKeyLine } from "../../lib/config/mod.ts";

const TEXT = `# header comment with [fake] = 1
[run]
seed = 1   # [train] in a comment
name = "a # b = c"

[train]
lr = 0.1
"quoted key" = 2
tasks = [
  "lr = 5",
  "[model]",
]
notes = """
epochs = 3
[model]
"""
epochs = 4
optimizer.name = "sgd"
schedule = { kind = "cosine", warmup = 10 }

[ train . task_weights ]
gender = 1

[[model.layers]]
size = 3
`;

Deno.test("locateKeyLine finds headers and key lines", () => {
  assert.equal(locateKeyLine(TEXT, ["run"]), 2);
  assert.equal(locateKeyLine(TEXT, ["run", "seed"]), 3);
  assert.equal(locateKeyLine(TEXT, ["run", "name"]), 4);
  assert.equal(locateKeyLine(TEXT, ["train"]), 6);
  assert.equal(locateKeyLine(TEXT, ["train", "lr"]), 7);
  assert.equal(locateKeyLine(TEXT, ["train", "quoted key"]), 8);
  assert.equal(locateKeyLine(TEXT, ["train", "tasks"]), 9);
});

Deno.test("locateKeyLine skips multi-line arrays, strings and comments", () => {
  assert.equal(locateKeyLine(TEXT, ["train", "epochs"]), 17);
  assert.equal(locateKeyLine(TEXT, ["model"]), 24);
  assert.equal(locateKeyLine(TEXT, ["fake"]), undefined);
});

Deno.test("locateKeyLine handles dotted keys, inline tables and spaced headers", () => {
  assert.equal(locateKeyLine(TEXT, ["train", "optimizer"]), 18);
  assert.equal(locateKeyLine(TEXT, ["train", "optimizer", "name"]), 18);
  assert.equal(locateKeyLine(TEXT, ["train", "schedule", "warmup"]), 19);
  assert.equal(locateKeyLine(TEXT, ["train", "schedule", "missing"]), undefined);
  assert.equal(locateKeyLine(TEXT, ["train", "task_weights"]), 21);
  assert.equal(locateKeyLine(TEXT, ["train", "task_weights", "gender"]), 22);
  assert.equal(locateKeyLine(TEXT, ["model", "layers", "size"]), 25);
});

Deno.test("locateKeyLine returns undefined for absent keys and reads CRLF text", () => {
  assert.equal(locateKeyLine(TEXT, ["train", "missing"]), undefined);
  assert.equal(locateKeyLine(TEXT, []), undefined);
  assert.equal(locateKeyLine("[run]\r\n\r\nseed = 1\r\n", ["run", "seed"]), 3);
});
