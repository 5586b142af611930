import assert from "node:assert/strict";
import {
  assertLabelSpec,
  encodeLabel,
  isMissingTarget,
  labelOutputSize,
  type LabelSpec,
  MISSING_CLASS,
} from "../../lib/data/mod.ts";

const GENDER: LabelSpec = {
  name: "gender",
  kind: "classification",
  classes: ["F", "M"],
  column: "gender",
  description: "Sex of the subject",
};
const AGE: LabelSpec = {
  name: "age",
  kind: "regression",
  column: "age",
  description: "Age in years",
};

Deno.test("label specs: output sizes and validation", () => {
  assert.equal(labelOutputSize(GENDER), 2);
  assert.equal(labelOutputSize(AGE), 1);
  assert.equal(assertLabelSpec(GENDER), GENDER);
  assert.throws(() => assertLabelSpec({ ...GENDER, name: "1st" }), /letters, digits/);
  assert.throws(() => assertLabelSpec({ ...GENDER, classes: ["F", "F"] }), /2 distinct classes/);
  assert.throws(() => assertLabelSpec({ ...GENDER, classes: undefined }), RangeError);
  assert.throws(() => assertLabelSpec({ ...AGE, kind: "ordinal" as "regression" }), /"ordinal"/);
  assert.throws(() => assertLabelSpec({ ...AGE, column: "" }), /column/);
});

Deno.test("label cells encode to targets; missing ones to -1 / NaN", () => {
  assert.equal(encodeLabel(GENDER, "F"), 0);
  assert.equal(encodeLabel(GENDER, " M "), 1);
  for (const cell of ["", "NA", "nan", "None"]) {
    assert.equal(encodeLabel(GENDER, cell), MISSING_CLASS, cell);
    assert.ok(Number.isNaN(encodeLabel(AGE, cell)), cell);
  }
  assert.equal(encodeLabel(AGE, "41.5"), 41.5);
  assert.throws(() => encodeLabel(GENDER, "X"), /\["F","M"\] or empty: current value is "X"/);
  assert.throws(() => encodeLabel(AGE, "forty"), /finite number/);
  assert.ok(isMissingTarget("classification", -1) && !isMissingTarget("classification", 0));
  assert.ok(isMissingTarget("regression", NaN) && !isMissingTarget("regression", 0));
});
