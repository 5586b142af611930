/**
 * The Deno file-system {@linkcode Storage}: a run folder on disk.
 *
 * @module
 */
import { byteChunks, type BytesInput } from "../../lib/io/bytes_input.ts";
import { NotFoundError } from "../../lib/io/not_found_error.ts";
import { assertWholeLines, type RemoveOptions, type Storage } from "../../lib/io/storage.ts";
import { normalizeStoragePath, parentStoragePath } from "../../lib/io/storage_path.ts";

/** Options for {@linkcode FileStorage}. */
export interface FileStorageOptions {
  /**
   * Flush each atomic write to the disk (fsync) before renaming it into place, so a power
   * loss cannot leave an empty file under the final name. Default true; appends are not
   * flushed (history lines are cheap to lose, costly to fsync every step).
   */
  sync?: boolean;
}

/** Temporary files of interrupted writes look like `name.tmp-<hex>`; `list` hides them. */
const _TEMP_NAME = /\.tmp-[0-9a-f]+$/;
const _encoder = new TextEncoder();
const _decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Storage in a directory. Writes go to a temporary file in the same directory
 * (`name.tmp-<hex>`), are flushed, then renamed over the target: rename is atomic on POSIX
 * file systems, so readers and crashes see the old or the new file, never a mix. Parent
 * directories are created as needed.
 *
 * @example
 * ```ts
 * import { FileStorage } from "./file_storage.ts";
 * const dir = await Deno.makeTempDir();
 * const storage = new FileStorage(dir);
 * await storage.writeText("runs/a/run.json", "{}");
 * console.assert(await storage.readText("runs/a/run.json") === "{}");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class FileStorage implements Storage {
  /** The base directory. */
  readonly location: string;
  #sync: boolean;
  /**
   * Parent folders this storage has already made: a dataset writes hundreds of files into
   * one folder, and a mkdir per file was a tenth of preprocessing's main-thread time.
   */
  #madeParents = new Set<string>();

  constructor(baseDir: string, options: FileStorageOptions = {}) {
    if (typeof baseDir !== "string" || baseDir === "") {
      throw new TypeError(
        `Cannot open a file storage as the base directory must be a non-empty string: ` +
          `current value is ${JSON.stringify(baseDir)}`,
      );
    }
    this.location = baseDir.replace(/\/+$/, "") || "/";
    this.#sync = options.sync ?? true;
  }

  /** The file-system path of a storage path. */
  resolve(path: string): string {
    const key = normalizeStoragePath(path, { allowRoot: true });
    return key === "" ? this.location : `${this.location}/${key}`;
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const key = normalizeStoragePath(path);
    try {
      return await Deno.readFile(this.resolve(key));
    } catch (error) {
      throw this.#translate(error, "read", key);
    }
  }

  async readText(path: string): Promise<string> {
    return _decoder.decode(await this.readBytes(path));
  }

  async writeBytes(path: string, data: BytesInput): Promise<void> {
    const key = normalizeStoragePath(path);
    const target = this.resolve(key);
    await this.#makeParents(key);
    const temp = `${target}.tmp-${_randomHex()}`;
    if (!this.#sync && (data instanceof Uint8Array || data instanceof ArrayBuffer)) {
      // Bytes in memory and no fsync: one write op plus the rename (open, write and close
      // as separate ops cost the preprocess main thread about 0.5 s per 430 files).
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
      try {
        await this.#inParent(key, () => Deno.writeFile(temp, bytes, { createNew: true }));
        await Deno.rename(temp, target);
      } catch (error) {
        await Deno.remove(temp).catch(() => {});
        throw this.#translate(error, "write", key);
      }
      return;
    }
    let file: Deno.FsFile | undefined;
    let sourceFailed = false;
    try {
      file = await this.#inParent(key, () => Deno.open(temp, { write: true, createNew: true }));
      const chunks = byteChunks(data);
      while (true) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await chunks.next();
        } catch (error) {
          sourceFailed = true;
          throw error;
        }
        if (next.done) break;
        await _writeAll(file, next.value);
      }
      if (this.#sync) await file.syncData();
      file.close();
      file = undefined;
      await Deno.rename(temp, target);
    } catch (error) {
      file?.close();
      await Deno.remove(temp).catch(() => {});
      // The source's own errors pass through untouched; file-system ones get our wording.
      throw sourceFailed ? error : this.#translate(error, "write", key);
    }
  }

  async writeText(path: string, text: string): Promise<void> {
    await this.writeBytes(path, _encoder.encode(text));
  }

  async appendText(path: string, text: string): Promise<void> {
    const key = normalizeStoragePath(path);
    assertWholeLines(key, text);
    await this.#makeParents(key);
    let file: Deno.FsFile | undefined;
    try {
      file = await this.#inParent(
        key,
        () => Deno.open(this.resolve(key), { read: true, append: true, create: true }),
      );
      // A torn last line (a crash mid-append) gets its "\n" so new lines stay separate.
      const size = (await file.stat()).size;
      let prefix = "";
      if (size > 0) {
        const last = new Uint8Array(1);
        await file.seek(size - 1, Deno.SeekMode.Start);
        await file.read(last);
        if (last[0] !== 0x0a) prefix = "\n";
      }
      // One buffer, so the lines go out in as few write calls as the kernel allows.
      await _writeAll(file, _encoder.encode(prefix + text));
    } catch (error) {
      throw this.#translate(error, "append to", key);
    } finally {
      file?.close();
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await Deno.stat(this.resolve(path));
      return true;
    } catch (error) {
      // A path through a file (a/b where a is a file) does not exist either.
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return false;
      }
      throw error;
    }
  }

  async list(dir: string): Promise<string[]> {
    const key = normalizeStoragePath(dir, { allowRoot: true });
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.resolve(key))) {
        if (!_TEMP_NAME.test(entry.name)) names.push(entry.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      if (error instanceof Deno.errors.NotADirectory) {
        throw new TypeError(
          `Cannot list "${key}" in ${this.location} as it is a file, not a folder`,
          { cause: error },
        );
      }
      throw this.#translate(error, "list", key);
    }
    return names.sort();
  }

  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    const key = normalizeStoragePath(path);
    try {
      await Deno.remove(this.resolve(key), { recursive: options.recursive ?? false });
    } catch (error) {
      throw this.#translate(error, "remove", key);
    }
  }

  /**
   * Runs `create` (which makes a file beside `key`); if its folder is missing although this
   * storage made it earlier (removed meanwhile), makes the folder again and retries once.
   */
  async #inParent<T>(key: string, create: () => Promise<T>): Promise<T> {
    try {
      return await create();
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#madeParents.delete(parentStoragePath(key));
      await this.#makeParents(key);
      return await create();
    }
  }

  async #makeParents(key: string): Promise<void> {
    const parent = parentStoragePath(key);
    if (this.#madeParents.has(parent)) return;
    try {
      await Deno.mkdir(this.resolve(parent), { recursive: true });
    } catch (error) {
      throw this.#translate(error, "write", key);
    }
    this.#madeParents.add(parent);
  }

  /** Maps Deno's file-system errors onto the storage contract's errors. */
  #translate(error: unknown, action: string, key: string): unknown {
    const where = `in ${this.location}`;
    const cause = { cause: error };
    if (error instanceof Deno.errors.NotFound) {
      const notFound = new NotFoundError(action, key, this.location);
      notFound.cause = error;
      return notFound;
    }
    if (error instanceof Deno.errors.IsADirectory) {
      return new TypeError(
        `Cannot ${action} "${key}" ${where} as it is a folder, not a file`,
        cause,
      );
    }
    if (error instanceof Deno.errors.NotADirectory || error instanceof Deno.errors.AlreadyExists) {
      return new TypeError(
        `Cannot ${action} "${key}" ${where} as a part of its path is a file, not a folder`,
        cause,
      );
    }
    if (error instanceof Error && /not empty|os error (39|66)\b/i.test(error.message)) {
      return new TypeError(
        `Cannot ${action} "${key}" ${where} as it is a non-empty folder: pass ` +
          "{ recursive: true } to remove it",
        cause,
      );
    }
    return error;
  }
}

async function _writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
}

function _randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
