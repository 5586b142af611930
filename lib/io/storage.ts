/**
 * The storage interface that run folders, checkpoints and models are written through: files
 * in Deno (app/cli/file_storage.ts), IndexedDB in browsers, memory in tests.
 *
 * @module
 */
import type { BytesInput } from "./bytes_input.ts";

/** Options for {@linkcode Storage.remove}. */
export interface RemoveOptions {
  /** Remove a folder and everything in it. Default false: a non-empty folder is an error. */
  recursive?: boolean;
}

/**
 * A small file store over POSIX-style relative paths ("runs/x/model/model.json"). Folders
 * exist implicitly: writing a file creates its parents.
 *
 * Guarantees every implementation keeps:
 * - `writeBytes` and `writeText` are atomic: a crash or an exception (also one thrown by the
 *   byte source mid-way) never leaves a half-written file and never destroys the previous
 *   version; readers see the old or the new content, nothing in between.
 * - `appendText` appends whole lines: `text` must end in "\n", and if the file's last line
 *   was torn (no final "\n", e.g. after a crash) a "\n" is added first so new lines never
 *   merge with it.
 * - A missing path gives a {@linkcode NotFoundError} naming it (reads, `remove`); `list`
 *   of a missing folder gives `[]`, because a key-value store cannot hold empty folders.
 * - A file where a folder is expected, or the reverse, is a `TypeError`.
 * - Paths are checked by `normalizeStoragePath`: no absolute paths and no "..".
 *
 * @example
 * ```ts
 * import { MemoryStorage, type Storage } from "./mod.ts";
 * const storage: Storage = new MemoryStorage();
 * await storage.writeText("runs/a/run.json", "{}");
 * console.assert((await storage.list("runs")).join() === "a");
 * ```
 */
export interface Storage {
  /** Where the data lives, for messages ("/tmp/run", "memory", "IndexedDB workbench/files"). */
  readonly location: string;
  /** The whole file. */
  readBytes(path: string): Promise<Uint8Array>;
  /** The whole file decoded as UTF-8 (invalid UTF-8 is a TypeError). */
  readText(path: string): Promise<string>;
  /** Replaces (or creates) the file atomically. */
  writeBytes(path: string, data: BytesInput): Promise<void>;
  /** Replaces (or creates) the file atomically with UTF-8 text. */
  writeText(path: string, text: string): Promise<void>;
  /** Appends whole lines (`text` must end in "\n"), creating the file if needed. */
  appendText(path: string, text: string): Promise<void>;
  /** True when a file or folder exists at `path` ("" is the root and always exists). */
  exists(path: string): Promise<boolean>;
  /** Names directly inside the folder `dir` ("" for the root), sorted; `[]` if missing. */
  list(dir: string): Promise<string[]>;
  /** Removes a file, or a folder with `{ recursive: true }`. */
  remove(path: string, options?: RemoveOptions): Promise<void>;
}

/**
 * Checks the argument of `appendText`: whole lines only.
 *
 * @example
 * ```ts
 * import { assertWholeLines } from "./storage.ts";
 * assertWholeLines("history.jsonl", '{"step":1}\n');
 * ```
 */
export function assertWholeLines(path: string, text: string): void {
  if (typeof text !== "string" || !text.endsWith("\n")) {
    throw new RangeError(
      `Cannot append to "${path}" as the text must be whole lines ending in "\\n": ` +
        `current value is ${JSON.stringify(String(text).slice(-40))}`,
    );
  }
}
