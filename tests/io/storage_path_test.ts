import assert from "node:assert/strict";
import {
  collectBytes,
  joinStoragePath,
  normalizeStoragePath,
  parentStoragePath,
} from "../../lib/io/mod.ts";

Deno.test("normalizeStoragePath: canonical form and rejections", () => {
  assert.equal(normalizeStoragePath("a/./b//c/"), "a/b/c");
  assert.equal(normalizeStoragePath("./a"), "a");
  assert.equal(normalizeStoragePath("", { allowRoot: true }), "");
  assert.equal(normalizeStoragePath("./", { allowRoot: true }), "");
  for (const bad of ["", ".", "/abs", "C:/x", "a/../b", "..", "a\\b", "a\0b"]) {
    assert.throws(() => normalizeStoragePath(bad), RangeError, JSON.stringify(bad));
  }
  assert.throws(() => normalizeStoragePath(3 as never), TypeError);
  assert.throws(
    () => normalizeStoragePath("../x"),
    (e) =>
      e instanceof RangeError && e.message === 'Cannot use a storage path as ".." could ' +
          'leave the storage: current value is "../x"',
  );
});

Deno.test("joinStoragePath and parentStoragePath", () => {
  assert.equal(joinStoragePath("", "checkpoints", "last"), "checkpoints/last");
  assert.equal(joinStoragePath("runs/a", "", "run.json"), "runs/a/run.json");
  assert.equal(joinStoragePath(""), "");
  assert.throws(() => joinStoragePath("runs", "../../x"), RangeError);
  assert.equal(parentStoragePath("a/b/c.json"), "a/b");
  assert.equal(parentStoragePath("c.json"), "");
});

Deno.test("collectBytes: buffers, sync and async chunks; bad chunks are TypeErrors", async () => {
  assert.deepEqual(await collectBytes(Uint8Array.of(1, 2)), Uint8Array.of(1, 2));
  const view = new Uint8Array(Uint8Array.of(9, 1, 2, 9).buffer, 1, 2);
  const collected = await collectBytes(view);
  assert.deepEqual(collected, Uint8Array.of(1, 2));
  assert.equal(collected.buffer.byteLength, 2, "owns exactly its bytes");
  await assert.rejects(collectBytes([Uint8Array.of(1), [2] as never]), TypeError);
  await assert.rejects(collectBytes(5 as never), TypeError);
});
