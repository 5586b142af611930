import assert from "node:assert/strict";
import { roundHalfEven, splitSubjects } from "../../lib/data/splits.ts";
import { Rng } from "../../lib/runtime/rng.ts";

const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => `Subject${String(i).padStart(2, "0")}`);
const counts = (m: Map<string, string>) => {
  const c: Record<string, number> = {};
  for (const s of m.values()) c[s] = (c[s] ?? 0) + 1;
  return c;
};

Deno.test("split sizes follow round(f x n) with the rest in the last split", () => {
  assert.deepEqual(counts(splitSubjects(ids(16), new Rng(1))), { train: 13, val: 2, test: 1 });
  // 0.1 x 25 = 2.5 rounds to 2 (ties to even, as Python's round): test gets the rest.
  assert.deepEqual(counts(splitSubjects(ids(25), new Rng(1))), { train: 20, val: 2, test: 3 });
  assert.equal(roundHalfEven(0.5), 0);
  assert.equal(roundHalfEven(1.5), 2);
  assert.equal(roundHalfEven(2.5000000001), 3);
});

Deno.test("splits are seeded, cover every subject once, and ignore input order", () => {
  const a = splitSubjects(ids(16), new Rng(42));
  const b = splitSubjects([...ids(16)].reverse(), new Rng(42));
  assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
  assert.equal(a.size, 16);
  const c = splitSubjects(ids(16), new Rng(43));
  assert.notDeepEqual([...a.entries()].sort(), [...c.entries()].sort());
});

Deno.test("stratified splits keep each stratum's proportions", () => {
  const subjects = ids(20);
  const strata = new Map(subjects.map((s, i) => [s, i < 10 ? "female" : "male"]));
  const split = splitSubjects(subjects, new Rng(5), { strata });
  for (const g of ["female", "male"]) {
    const c = counts(new Map([...split].filter(([s]) => strata.get(s) === g)));
    assert.deepEqual(c, { train: 8, val: 1, test: 1 }, g);
  }
});

Deno.test("bad fractions are RangeErrors", () => {
  assert.throws(
    () => splitSubjects(ids(4), new Rng(0), { fractions: [0.5, 0.6, 0.1] }),
    /sum to 1/,
  );
  assert.throws(
    () => splitSubjects(ids(4), new Rng(0), { names: ["a"], fractions: [0.5, 0.5] }),
    /same length/,
  );
});
