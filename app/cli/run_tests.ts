/**
 * `deno task test`: runs `deno test` over tests/ in a child process and passes its exit
 * status on, with one narrow exception.
 *
 * Mesa's lavapipe (the CPU Vulkan driver behind WebGPU on machines without a GPU) sometimes
 * corrupts the heap while the process tears WebGPU down at exit, after every test has run
 * and reported: glibc then prints "corrupted size vs. prev_size ..." and aborts (SIGABRT,
 * status 134). We saw it in 1 of 3 full runs in one session, never inside a test. When, and only
 * when, the child aborted, its summary line says that nothing failed, and its stderr ends
 * with that glibc message, this runner says so loudly and exits 0. Any other failure,
 * including an abort before the summary, keeps its non-zero status.
 *
 * @module
 */

const _PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
  "--allow-net=127.0.0.1",
];
const _GLIBC_ABORT = /corrupted size vs\. prev_size|malloc\(\): |free\(\): |double free/;
// deno test's last summary: "ok | 543 passed (10 steps) | 0 failed (2m19s)".
const _ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const _ALL_PASSED = /\bok \| \d+ passed[^|]*\| 0 failed/;

/** Copies a stream to `sink` and keeps its last `keep` characters. */
async function _tee(
  stream: ReadableStream<Uint8Array>,
  sink: { write(p: Uint8Array): Promise<number> },
  keep = 4096,
): Promise<string> {
  const decoder = new TextDecoder();
  let tail = "";
  for await (const chunk of stream) {
    let written = 0;
    while (written < chunk.length) written += await sink.write(chunk.subarray(written));
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-keep);
  }
  return tail;
}

/**
 * Whether a finished `deno test` child is the known exit-time abort: killed by SIGABRT after
 * its summary reported no failures, with glibc's heap message on stderr.
 */
export function isTeardownAbort(
  result: { signal: Deno.Signal | null; stdout: string; stderr: string },
): boolean {
  // ANSI colour codes sit between the words of the summary.
  const plain = (text: string) => text.replace(_ANSI, "");
  return result.signal === "SIGABRT" && _ALL_PASSED.test(plain(result.stdout)) &&
    _GLIBC_ABORT.test(plain(result.stderr));
}

if (import.meta.main) {
  const args = ["test", ..._PERMISSIONS, ...Deno.args];
  if (!Deno.args.some((a) => !a.startsWith("-"))) args.push("tests/");
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const [out, err, status] = await Promise.all([
    _tee(child.stdout, Deno.stdout),
    _tee(child.stderr, Deno.stderr),
    child.status,
  ]);
  if (isTeardownAbort({ signal: status.signal, stdout: out, stderr: err })) {
    console.error(
      "\nWARNING: every test passed, then the test process aborted while tearing down " +
        "WebGPU (glibc heap check; a known lavapipe/wgpu exit-time fault, see " +
        "app/cli/run_tests.ts). Treated as a pass.",
    );
    Deno.exit(0);
  }
  Deno.exit(status.code === 0 && status.signal === null ? 0 : status.code || 1);
}
