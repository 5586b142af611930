/**
 * The Storage contract, run on every implementation: MemoryStorage, IdbStorage (over a fake
 * idb-keyval store) and the Deno FileStorage.
 */
import assert from "node:assert/strict";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { IdbStorage, MemoryStorage, NotFoundError, type Storage } from "../../lib/io/mod.ts";
import { fakeIdbStore } from "./_fake_idb_store.ts";

interface Fixture {
  storage: Storage;
  cleanup(): Promise<void>;
}

const IMPLEMENTATIONS: Record<string, () => Promise<Fixture>> = {
  memory: () => Promise.resolve({ storage: new MemoryStorage(), cleanup: async () => {} }),
  idb: () =>
    Promise.resolve({
      storage: new IdbStorage({ store: fakeIdbStore().store }),
      cleanup: async () => {},
    }),
  file: async () => {
    const dir = await Deno.makeTempDir({ prefix: "storage_test_" });
    return {
      storage: new FileStorage(dir),
      cleanup: () => Deno.remove(dir, { recursive: true }),
    };
  },
};

function contract(name: string, fn: (storage: Storage) => Promise<void>): void {
  for (const [impl, make] of Object.entries(IMPLEMENTATIONS)) {
    Deno.test(`${impl} storage: ${name}`, async () => {
      const { storage, cleanup } = await make();
      try {
        await fn(storage);
      } finally {
        await cleanup();
      }
    });
  }
}

// A source that yields one chunk and then fails, like a weights encoder that throws.
async function* failingSource(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(1000).fill(7);
  await Promise.resolve();
  throw new Error("source failed mid-way");
}

contract("bytes and text round-trip, overwrite replaces", async (s) => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
  await s.writeBytes("runs/a/model/weights.bin", bytes);
  assert.deepEqual(await s.readBytes("runs/a/model/weights.bin"), bytes);
  await s.writeText("runs/a/run.json", '{"seed":1,"name":"Ω"}');
  assert.equal(await s.readText("runs/a/run.json"), '{"seed":1,"name":"Ω"}');
  await s.writeText("runs/a/run.json", "{}");
  assert.equal(await s.readText("runs/a/run.json"), "{}");
  await s.writeBytes("empty.bin", new Uint8Array(0));
  assert.equal((await s.readBytes("empty.bin")).length, 0);
});

contract("writes accept ArrayBuffer and chunked sources", async (s) => {
  await s.writeBytes("a.bin", Uint8Array.of(1, 2, 3).buffer);
  assert.deepEqual(await s.readBytes("a.bin"), Uint8Array.of(1, 2, 3));
  async function* chunks() {
    yield Uint8Array.of(4);
    yield Uint8Array.of(5, 6);
  }
  await s.writeBytes("b.bin", chunks());
  assert.deepEqual(await s.readBytes("b.bin"), Uint8Array.of(4, 5, 6));
  await s.writeBytes("c.bin", [Uint8Array.of(7), Uint8Array.of(8)]);
  assert.deepEqual(await s.readBytes("c.bin"), Uint8Array.of(7, 8));
});

contract("stored bytes do not alias the caller's arrays", async (s) => {
  const bytes = Uint8Array.of(1, 2, 3);
  await s.writeBytes("x.bin", bytes);
  bytes[0] = 99;
  const read = await s.readBytes("x.bin");
  read[1] = 99;
  assert.deepEqual(await s.readBytes("x.bin"), Uint8Array.of(1, 2, 3));
});

contract("a source that throws mid-way leaves the old content", async (s) => {
  await s.writeText("ckpt/weights.bin", "old content");
  await assert.rejects(s.writeBytes("ckpt/weights.bin", failingSource()), /source failed mid-way/);
  assert.equal(await s.readText("ckpt/weights.bin"), "old content");
  assert.deepEqual(await s.list("ckpt"), ["weights.bin"]);
  // And a failed first write leaves no file at all.
  await assert.rejects(s.writeBytes("ckpt/new.bin", failingSource()), /source failed/);
  assert.equal(await s.exists("ckpt/new.bin"), false);
});

contract("list gives sorted direct children, [] for a missing folder", async (s) => {
  await s.writeText("runs/b/run.json", "{}");
  await s.writeText("runs/a/history.jsonl", "{}\n");
  await s.writeText("runs/a/model/model.json", "{}");
  await s.writeText("top.txt", "x");
  assert.deepEqual(await s.list("runs"), ["a", "b"]);
  assert.deepEqual(await s.list("runs/a"), ["history.jsonl", "model"]);
  assert.deepEqual(await s.list("runs/a/"), ["history.jsonl", "model"]);
  assert.deepEqual(await s.list(""), ["runs", "top.txt"]);
  assert.deepEqual(await s.list("missing"), []);
  await assert.rejects(
    s.list("top.txt"),
    (e) => e instanceof TypeError && /top\.txt/.test(e.message),
  );
});

contract("exists for files, folders and missing paths", async (s) => {
  await s.writeText("a/b/c.txt", "x");
  assert.equal(await s.exists("a/b/c.txt"), true);
  assert.equal(await s.exists("a/b"), true);
  assert.equal(await s.exists("a"), true);
  assert.equal(await s.exists(""), true);
  assert.equal(await s.exists("a/b/d.txt"), false);
  assert.equal(await s.exists("a/b/c.txt/e"), false);
  assert.equal(await s.exists("ab"), false);
});

contract("missing paths give a NotFoundError naming the path", async (s) => {
  for (const read of [() => s.readBytes("runs/x/run.json"), () => s.readText("runs/x/run.json")]) {
    await assert.rejects(read(), (e) => {
      assert.ok(e instanceof NotFoundError);
      assert.equal(e.path, "runs/x/run.json");
      assert.match(e.message, /Cannot read "runs\/x\/run\.json" as it does not exist/);
      return true;
    });
  }
  await assert.rejects(s.remove("nothing/here"), (e) => {
    assert.ok(e instanceof NotFoundError);
    assert.equal(e.path, "nothing/here");
    return true;
  });
});

contract("remove: files, folders only with recursive", async (s) => {
  await s.writeText("c/last/a.bin", "1");
  await s.writeText("c/last/b.json", "2");
  await s.writeText("c/best-1/a.bin", "3");
  await s.remove("c/last/a.bin");
  assert.deepEqual(await s.list("c/last"), ["b.json"]);
  await assert.rejects(
    s.remove("c/last"),
    (e) =>
      e instanceof TypeError && /non-empty folder/.test(e.message) && /c\/last/.test(e.message),
  );
  await s.remove("c/last", { recursive: true });
  assert.deepEqual(await s.list("c"), ["best-1"]);
  assert.equal(await s.readText("c/best-1/a.bin"), "3");
});

contract("appendText appends whole lines and repairs a torn last line", async (s) => {
  await s.appendText("run/history.jsonl", '{"step":1}\n');
  await s.appendText("run/history.jsonl", '{"step":2}\n{"step":3}\n');
  assert.equal(await s.readText("run/history.jsonl"), '{"step":1}\n{"step":2}\n{"step":3}\n');
  await assert.rejects(
    s.appendText("run/history.jsonl", '{"step":4}'),
    (e) => e instanceof RangeError && /whole lines/.test(e.message),
  );
  await s.writeText("torn.jsonl", '{"step":1}\n{"st');
  await s.appendText("torn.jsonl", '{"step":2}\n');
  assert.equal(await s.readText("torn.jsonl"), '{"step":1}\n{"st\n{"step":2}\n');
});

contract("files and folders cannot take each other's place", async (s) => {
  await s.writeText("a/b.txt", "x");
  await assert.rejects(
    s.writeText("a", "y"),
    (e) => e instanceof TypeError && /"a"/.test(e.message),
  );
  assert.equal(await s.readText("a/b.txt"), "x");
  await assert.rejects(s.writeText("a/b.txt/c", "y"), TypeError);
  await assert.rejects(s.readBytes("a"), TypeError);
  assert.deepEqual(await s.list("a"), ["b.txt"]);
});

contract("paths are normalized and cannot escape", async (s) => {
  await s.writeText("./x//y/z.txt", "1");
  assert.equal(await s.readText("x/y/z.txt"), "1");
  for (const bad of ["../evil.txt", "/etc/passwd", "a/../../b", "", "a\\b"]) {
    await assert.rejects(s.writeText(bad, "no"), RangeError, bad);
  }
});
