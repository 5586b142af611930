import assert from "node:assert/strict";
import { splitSamples } from "../../lib/segment/seg_splits.ts";

/** The glomeruli set's ids and subjects (no pixels needed to split). */
const GLOMERULI = ["T19", "T20"].flatMap((subject) =>
  ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "99", "999"].map((n) => ({
    id: `${subject}_Image${n}`,
    subject,
  }))
);
/** 15 EM slices of one stack: one subject. */
const EM = Array.from(
  { length: 15 },
  (_, i) => ({ id: String(i).padStart(2, "0"), subject: "all" }),
);

const ids = (items: { id: string }[]) => items.map((s) => s.id);

Deno.test("subject-wise: every image of a named subject goes to its split, order kept", () => {
  const { train, val, test } = splitSamples(GLOMERULI, { valSubjects: ["T19"], seed: 1 });
  assert.equal(train.length, 12);
  assert.equal(val.length, 12);
  assert.deepEqual(test, []);
  assert.ok(val.every((s) => s.subject === "T19") && train.every((s) => s.subject === "T20"));
  assert.deepEqual(ids(val), ids(GLOMERULI.slice(0, 12)));

  const three = [...GLOMERULI, { id: "T21_Image0", subject: "T21" }];
  const split = splitSamples(three, { valSubjects: ["T19"], testSubjects: ["T21"], seed: 1 });
  assert.deepEqual([split.train.length, split.val.length, split.test.length], [12, 12, 1]);
});

Deno.test("image-wise fraction: round half even, at least 1, at most n - 1, seeded", () => {
  const count = (samples: typeof EM, valFraction: number) =>
    splitSamples(samples, { valFraction, seed: 7 }).val.length;
  assert.equal(count(EM, 0.2), 3); // 3.0
  assert.equal(count(EM, 0.1), 2); // 1.5 -> 2 (even)
  assert.equal(count(EM.slice(0, 5), 0.5), 2); // 2.5 -> 2 (even), Math.round gives 3
  assert.equal(count(EM.slice(0, 7), 0.5), 4); // 3.5 -> 4
  assert.equal(count(EM, 0.01), 1); // 0.15 -> 0 -> at least 1
  assert.equal(count(EM.slice(0, 2), 0.9), 1); // 1.8 -> 2 -> at most n - 1
  assert.equal(count(EM.slice(0, 1), 0.5), 0); // one image stays in training
  assert.equal(count(EM, 0), 0);

  const a = splitSamples(EM, { valFraction: 0.2, seed: 7 });
  const b = splitSamples([...EM].reverse(), { valFraction: 0.2, seed: 7 });
  assert.deepEqual(ids(a.val).sort(), ids(b.val).sort(), "the draw ignores the input order");
  assert.equal(a.train.length + a.val.length, 15);
  assert.ok(a.val.every((s) => !a.train.includes(s)));
  const draws = new Set(
    [1, 2, 3, 4, 5].map((seed) => ids(splitSamples(EM, { valFraction: 0.2, seed }).val).join()),
  );
  assert.ok(draws.size > 1, "different seeds hold out different images");
});

Deno.test("a fraction applies to the pool left after test subjects", () => {
  const { train, val, test } = splitSamples(GLOMERULI, {
    testSubjects: ["T20"],
    valFraction: 0.25,
    seed: 3,
  });
  assert.equal(test.length, 12);
  assert.equal(val.length, 3);
  assert.equal(train.length, 9);
  assert.ok(val.every((s) => s.subject === "T19"));
});

Deno.test("unknown subjects, overlaps and conflicting options give named errors", () => {
  assert.throws(
    () => splitSamples(GLOMERULI, { valSubjects: ["T18"], seed: 0 }),
    /Cannot split samples as valSubjects must be among the known subjects \(T19, T20\): current value is \["T18"\]/,
  );
  assert.throws(
    () => splitSamples(GLOMERULI, { valSubjects: ["T19"], testSubjects: ["T19"], seed: 0 }),
    /Cannot split samples as a subject cannot be in both val and test: current value is \["T19"\]/,
  );
  assert.throws(
    () => splitSamples(GLOMERULI, { valSubjects: ["T19"], valFraction: 0.1, seed: 0 }),
    /Cannot split samples as valSubjects and valFraction exclude each other/,
  );
  assert.throws(
    () => splitSamples(EM, { valFraction: 1, seed: 0 }),
    /Cannot split samples as valFraction must be in \[0, 1\): current value is 1/,
  );
  assert.throws(
    () => splitSamples([...EM, EM[0]], { seed: 0 }),
    /Cannot split samples as sample ids must be unique: current value is "00" twice/,
  );
});
