/**
 * `build`: bundles the web app and its workers for the browser and copies the wasm
 * backend's binaries beside them, so a static host serves everything itself.
 *
 * Output (default static/dist/):
 *   main.js             the page (preact), loaded by static/index.html
 *   backend_worker.js   the backend-check module worker with tfjs; loaded by main.js from the same folder
 *   segment_worker.js   the segmentation module worker (tfjs, lib/segment); likewise
 *   *.wasm              tfjs-backend-wasm binaries, found by the worker next to itself
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, EXIT, UsageError } from "../command.ts";

/** The checkout this file belongs to. */
const _PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Bundle entry points (relative to the project root) and their output names: the page
 * (no tfjs), and the two module workers it starts from the same folder, the backend check
 * and the segmentation view's (both with tfjs).
 */
const _ENTRIES = [
  { entry: "app/web/main.tsx", output: "main.js" },
  { entry: "workers/backend_worker.ts", output: "backend_worker.js" },
  { entry: "workers/segment_worker.ts", output: "segment_worker.js" },
] as const;

const _WASM_DIR = "node_modules/@tensorflow/tfjs-backend-wasm/dist";

/** Options for {@linkcode buildWebApp}. */
export interface BuildWebAppOptions {
  /** Output folder. Default static/dist of this checkout. */
  outDir?: string;
  /** Minify the bundles. Default false. */
  minify?: boolean;
  /** Project root holding deno.json, app/, workers/ and node_modules/. Default this checkout. */
  projectRoot?: string;
  /** Aborts the bundler processes (e.g. `AbortSignal.timeout(120_000)` in tests). */
  signal?: AbortSignal;
}

/** What {@linkcode buildWebApp} wrote. */
export interface BuildWebAppResult {
  /** Absolute output folder. */
  outDir: string;
  /** The files written, with their sizes in bytes. */
  files: { name: string; bytes: number }[];
  /** Wall time in milliseconds. */
  elapsedMs: number;
}

/**
 * The deno binary to bundle with: this one, or `deno` on PATH when only that name is
 * allowed (`--allow-run=deno` does not cover the binary's real path when `deno` on PATH is
 * a symbolic link).
 */
function _denoBinary(): string {
  const self = Deno.execPath();
  if (Deno.permissions.querySync({ name: "run", command: self }).state === "granted") return self;
  if (Deno.permissions.querySync({ name: "run", command: "deno" }).state === "granted") {
    return "deno";
  }
  throw new Error(`Cannot bundle as running deno is not allowed: pass --allow-run=${self}`);
}

async function _bundle(
  root: string,
  entry: string,
  outFile: string,
  options: { minify: boolean; signal?: AbortSignal },
) {
  const args = ["bundle", "--platform", "browser", "--format", "esm", "-o", outFile];
  if (options.minify) args.push("--minify");
  args.push(entry);
  const result = await new Deno.Command(_denoBinary(), {
    args,
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    signal: options.signal,
  }).output();
  if (!result.success) {
    const log = new TextDecoder().decode(result.stderr).trim();
    throw new Error(`Cannot bundle ${entry} (deno bundle exited with ${result.code}):\n${log}`);
  }
}

async function _wasmFiles(root: string): Promise<string[]> {
  const dir = join(root, _WASM_DIR);
  const files: string[] = [];
  try {
    for await (const item of Deno.readDir(dir)) {
      if (item.isFile && item.name.endsWith(".wasm")) files.push(join(dir, item.name));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (files.length === 0) {
    throw new Error(`Cannot copy the wasm backend as ${dir} has no .wasm files: run deno install`);
  }
  return files.sort();
}

/**
 * Bundles the page and the worker and copies the wasm binaries into `outDir`. Files are
 * first written to a staging folder inside `outDir` and renamed into place at the end, so
 * a failed build leaves the previous one intact.
 *
 * @example
 * ```ts ignore
 * import { buildWebApp } from "./build.ts";
 * const { outDir, files } = await buildWebApp({ outDir: "/tmp/site/dist" });
 * console.log(outDir, files.map((f) => f.name));
 * ```
 */
export async function buildWebApp(options: BuildWebAppOptions = {}): Promise<BuildWebAppResult> {
  const started = performance.now();
  const root = resolve(options.projectRoot ?? _PROJECT_ROOT);
  const outDir = resolve(options.outDir ?? join(root, "static", "dist"));
  await Deno.mkdir(outDir, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: outDir, prefix: ".build.tmp-" });
  try {
    const wasm = await _wasmFiles(root);
    // The bundles are independent: run them side by side.
    await Promise.all(
      _ENTRIES.map(({ entry, output }) =>
        _bundle(root, entry, join(staging, output), {
          minify: options.minify === true,
          signal: options.signal,
        })
      ),
    );
    for (const file of wasm) await Deno.copyFile(file, join(staging, basename(file)));
    const names = [..._ENTRIES.map((e) => e.output), ...wasm.map((f) => basename(f))];
    const files = [];
    for (const name of names) {
      await Deno.rename(join(staging, name), join(outDir, name));
      files.push({ name, bytes: (await Deno.stat(join(outDir, name))).size });
    }
    return { outDir, files, elapsedMs: performance.now() - started };
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

function _size(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** The `build` command. */
export const command: Command = {
  name: "build",
  summary: "Bundle the web app and its workers into static/dist/",
  help: `Usage: deno task build [--out DIR] [--minify]

Bundles app/web/main.tsx, workers/backend_worker.ts and workers/segment_worker.ts for the
browser (deno bundle) and copies the wasm backend's .wasm files beside them, so the page loads nothing from a CDN.
Then \`deno task serve\` and open the printed address.

Flags:
  --out DIR   output folder (default static/dist); static/index.html loads dist/main.js
  --minify    minify the bundles

Examples:
  deno task build
  deno task build --minify --out /tmp/site/dist`,
  flags: {
    out: { type: "string" },
    minify: { type: "boolean", default: false },
  },
  async run(ctx) {
    const out = ctx.values.out;
    if (out !== undefined && (typeof out !== "string" || out === "")) {
      throw new UsageError("--out must name a folder");
    }
    const result = await buildWebApp({ outDir: out, minify: ctx.values.minify === true });
    console.log(
      `Built the web app into ${result.outDir} in ${(result.elapsedMs / 1e3).toFixed(1)} s:`,
    );
    for (const file of result.files) console.log(`  ${file.name.padEnd(40)} ${_size(file.bytes)}`);
    return EXIT.ok;
  },
};
