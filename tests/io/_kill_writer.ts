/**
 * Child process for file_storage_test.ts: rewrites one large file through FileStorage over
 * and over so the test can SIGKILL it mid-write. Every version is `size` bytes all equal to
 * `version % 256`, so a reader can tell a complete version from a torn one.
 *
 * Usage: deno run --allow-read --allow-write _kill_writer.ts DIR SIZE MODE
 *   MODE "loop":  write versions 1, 2, ... forever, printing "wrote <k>" after each.
 *   MODE "pause": write version 1, then start version 2, print "mid" after its first chunk
 *                 and wait (to be killed) with a partial temporary file on disk.
 *
 * @module
 */
import { FileStorage } from "../../app/cli/file_storage.ts";

const [dir, sizeArg, mode] = Deno.args;
const size = Number(sizeArg);
const CHUNK = 1 << 20;
const storage = new FileStorage(dir);
const encoder = new TextEncoder();

function say(line: string): void {
  Deno.stdout.writeSync(encoder.encode(`${line}\n`));
}

async function* version(k: number, pauseAfterFirstChunk: boolean): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(CHUNK).fill(k % 256);
  for (let offset = 0; offset < size; offset += CHUNK) {
    yield chunk.subarray(0, Math.min(CHUNK, size - offset));
    if (pauseAfterFirstChunk) {
      say("mid");
      await new Promise(() => setTimeout(() => {}, 60_000));
    }
  }
}

for (let k = 1;; k++) {
  await storage.writeBytes("big.bin", version(k, mode === "pause" && k === 2));
  say(`wrote ${k}`);
}
