import assert from "node:assert/strict";
import { buildCaption } from "../../lib/data/captions.ts";
import { discoverTasks, labelSpec } from "../../lib/data/label_registry.ts";

Deno.test("captions follow the recipe and skip missing parts", () => {
  assert.equal(
    buildCaption({ age: 54, health: "parkinsons", gender: "female" }),
    "a spectrogram image of a 54 year old, with Parkinson's disease, female subject",
  );
  assert.equal(
    buildCaption({ age: 21, gender: "female", task_state: "rest" }),
    "a spectrogram image of a 21 year old, female subject at rest",
  );
  assert.equal(
    buildCaption({ age: 18, gender: "male", task_state: "arithmetic" }),
    "a spectrogram image of a 18 year old, male subject during mental arithmetic",
  );
  assert.equal(
    buildCaption({ gender: "male", emotion: "positive" }),
    "a spectrogram image of a male subject feeling positive",
  );
});

Deno.test("the registry names labels and discovers tasks from columns", () => {
  assert.equal(labelSpec("task_state").classes?.join(), "rest,arithmetic");
  assert.throws(
    () => labelSpec("mood"),
    /Cannot find label "mood" as it must be one of gender, age/,
  );
  assert.deepEqual(
    discoverTasks(["file_name", "age", "health", "caption"]).map((t) => t.name),
    ["age", "health"],
  );
});
