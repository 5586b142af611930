/**
 * FileStorage specifics: atomic replacement on disk (temporary files, failed renames, a real
 * SIGKILL mid-write) on top of the shared contract in storage_test.ts.
 */
import assert from "node:assert/strict";
import { FileStorage } from "../../app/cli/file_storage.ts";

const TEMP_NAME = /\.tmp-[0-9a-f]+$/;
const WRITER = new URL("./_kill_writer.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const SIZE = 16 << 20;

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "file_storage_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rawNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("file storage: a successful write leaves no temporary file", async () => {
  await withTempDir(async (dir) => {
    const storage = new FileStorage(dir);
    await storage.writeText("m/model.json", "{}");
    await storage.writeText("m/model.json", '{"v":2}');
    assert.deepEqual(await rawNames(`${dir}/m`), ["model.json"]);
    assert.equal(await Deno.readTextFile(`${dir}/m/model.json`), '{"v":2}');
  });
});

Deno.test("file storage: writes without fsync are atomic too, and remake a removed folder", async () => {
  await withTempDir(async (dir) => {
    for (const sync of [true, false]) {
      const storage = new FileStorage(`${dir}/${sync}`, { sync });
      await storage.writeBytes("images/a.png", Uint8Array.of(1, 2));
      await storage.writeBytes("images/a.png", Uint8Array.of(3).buffer);
      assert.deepEqual(await rawNames(`${dir}/${sync}/images`), ["a.png"]);
      assert.deepEqual(await Deno.readFile(`${dir}/${sync}/images/a.png`), Uint8Array.of(3));
      // The folder goes away between two writes: the next write makes it again.
      await Deno.remove(`${dir}/${sync}/images`, { recursive: true });
      await storage.writeBytes("images/b.png", Uint8Array.of(4));
      assert.deepEqual(await rawNames(`${dir}/${sync}/images`), ["b.png"]);
    }
  });
});

Deno.test("file storage: a source that throws mid-way removes its temporary file", async () => {
  await withTempDir(async (dir) => {
    const storage = new FileStorage(dir);
    await storage.writeText("w.bin", "old");
    async function* source() {
      yield new Uint8Array(1 << 20);
      throw new Deno.errors.NotFound("the source's own error");
    }
    // The source's error passes through as it is, not as a NotFoundError for "w.bin".
    await assert.rejects(storage.writeBytes("w.bin", source()), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(`${dir}/w.bin`), "old");
    assert.deepEqual(await rawNames(dir), ["w.bin"]);
  });
});

Deno.test("file storage: a failed rename keeps the old entry and removes the temporary file", async () => {
  await withTempDir(async (dir) => {
    const storage = new FileStorage(dir);
    // rename(2) cannot replace a non-empty directory with a file: the last step fails.
    await storage.writeText("target/keep.txt", "kept");
    await assert.rejects(
      storage.writeBytes("target", new Uint8Array(4096)),
      (e) => e instanceof TypeError && /"target"/.test(e.message) && /folder/.test(e.message),
    );
    assert.deepEqual(await rawNames(dir), ["target"]);
    assert.equal(await storage.readText("target/keep.txt"), "kept");
  });
});

Deno.test("file storage: list hides temporary files of interrupted writes", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/model.json.tmp-0a1b2c`, "partial");
    await Deno.writeTextFile(`${dir}/model.json`, "{}");
    assert.deepEqual(await new FileStorage(dir).list(""), ["model.json"]);
  });
});

Deno.test("file storage: base directory and resolve", () => {
  assert.equal(new FileStorage("/tmp/x/").resolve("a/b"), "/tmp/x/a/b");
  assert.equal(new FileStorage("/tmp/x").resolve(""), "/tmp/x");
  assert.throws(() => new FileStorage(""), TypeError);
  assert.throws(() => new FileStorage("/tmp/x").resolve("../y"), RangeError);
});

/** Starts the writer and returns a line reader over its stdout. */
function spawnWriter(dir: string, mode: "loop" | "pause") {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--config",
      CONFIG,
      WRITER,
      dir,
      `${SIZE}`,
      mode,
    ],
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  async function nextLine(): Promise<string> {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Writer exited early; output so far: ${JSON.stringify(buffered)}`);
      buffered += value;
    }
    const end = buffered.indexOf("\n");
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 1);
    return line;
  }
  async function kill(): Promise<Deno.CommandStatus> {
    child.kill("SIGKILL");
    const status = await child.status;
    // Drain to EOF so the pipe is closed before the test ends.
    while (!(await reader.read()).done);
    return status;
  }
  return { nextLine, kill };
}

/** The version a file holds when it is complete; throws on any torn or mixed content. */
async function completeVersion(path: string): Promise<number> {
  const bytes = await Deno.readFile(path);
  assert.equal(bytes.length, SIZE, `${path} has ${bytes.length} bytes, expected ${SIZE}`);
  const v = bytes[0];
  const bad = bytes.findIndex((b) => b !== v);
  assert.equal(bad, -1, `${path} mixes versions: byte ${bad} is ${bytes[bad]}, byte 0 is ${v}`);
  return v;
}

Deno.test("file storage: SIGKILL during a write leaves the previous version whole", async () => {
  await withTempDir(async (dir) => {
    const writer = spawnWriter(dir, "pause");
    assert.equal(await writer.nextLine(), "wrote 1");
    assert.equal(await writer.nextLine(), "mid");
    const status = await writer.kill();
    assert.equal(status.signal, "SIGKILL");
    // Killed with a partial temporary file on disk, next to the untouched old version.
    const names = await rawNames(dir);
    assert.equal(names.length, 2, `expected big.bin and one temporary file: ${names}`);
    assert.ok(TEMP_NAME.test(names[1]) && names[0] === "big.bin", `${names}`);
    assert.ok((await Deno.stat(`${dir}/${names[1]}`)).size < SIZE);
    assert.equal(await completeVersion(`${dir}/big.bin`), 1);
    assert.deepEqual(await new FileStorage(dir).list(""), ["big.bin"]);
  });
});

Deno.test("file storage: SIGKILL at random moments never leaves a torn file", async () => {
  await withTempDir(async (dir) => {
    for (let round = 0; round < 5; round++) {
      const writer = spawnWriter(dir, "loop");
      await writer.nextLine(); // "wrote k": a complete version now exists
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      await writer.kill();
      await completeVersion(`${dir}/big.bin`);
    }
    // Each kill that landed mid-write left a temporary file; most rounds do (the writer spends
    // its time writing), and at least one must have for the test to mean anything.
    const interrupted = (await rawNames(dir)).filter((name) => TEMP_NAME.test(name)).length;
    assert.ok(interrupted >= 1, "no kill landed mid-write");
  });
});
