import assert from "node:assert/strict";
import { Rng } from "../../lib/runtime/mod.ts";

Deno.test("equal seeds give equal streams, different seeds differ", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const draw = (r: Rng) => Array.from({ length: 16 }, () => r.uint32());
  const da = draw(a);
  assert.deepEqual(da, draw(b));
  assert.notDeepEqual(da, draw(c));
});

Deno.test("float is uniform in [0, 1): mean and range over 100k draws", () => {
  const r = new Rng(7);
  let sum = 0, min = 1, max = 0;
  for (let i = 0; i < 100_000; i++) {
    const x = r.float();
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  assert.ok(min >= 0 && max < 1);
  // Standard error of the mean of U(0,1) over 1e5 draws is 0.0009; allow 5 sigma.
  assert.ok(Math.abs(sum / 100_000 - 0.5) < 0.0045, `mean ${sum / 100_000}`);
});

Deno.test("normal has mean 0 and variance 1 over 100k draws", () => {
  const r = new Rng(11);
  let sum = 0, sumSq = 0;
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n, variance = sumSq / n - mean * mean;
  assert.ok(Math.abs(mean) < 0.016, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
});

Deno.test("int(n) covers 0..n-1 evenly and rejects bad n", () => {
  const r = new Rng(3);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts}`);
  assert.throws(
    () => r.int(0),
    /Cannot draw an integer as n must be in 1\.\.2\^32: current value is 0/,
  );
});

Deno.test("shuffle is a seeded permutation", () => {
  const s1 = new Rng(5).shuffle([...Array(20).keys()]);
  const s2 = new Rng(5).shuffle([...Array(20).keys()]);
  assert.deepEqual(s1, s2);
  assert.deepEqual([...s1].sort((a, b) => a - b), [...Array(20).keys()]);
  assert.notDeepEqual(s1, [...Array(20).keys()]);
});

Deno.test("state round-trips: a restored generator continues the same stream", () => {
  const r = new Rng(99);
  for (let i = 0; i < 10; i++) r.uint32();
  const saved = JSON.parse(JSON.stringify(r.state()));
  const expected = Array.from({ length: 8 }, () => r.uint32());
  const restored = Rng.fromState(saved);
  assert.deepEqual(Array.from({ length: 8 }, () => restored.uint32()), expected);
  assert.throws(() => r.setState([1, 2] as never), /Cannot restore the RNG/);
});

Deno.test("fork gives independent named streams without advancing the parent", () => {
  const parent = new Rng(1);
  const before = parent.state();
  const splits = parent.fork("splits").uint32();
  const init = parent.fork("init").uint32();
  assert.deepEqual(parent.state(), before);
  assert.notEqual(splits, init);
  assert.equal(new Rng(1).fork("splits").uint32(), splits);
});
