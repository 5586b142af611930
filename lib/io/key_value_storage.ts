/**
 * A {@linkcode Storage} over a flat key-value store whose keys are paths: the shared logic of
 * {@linkcode MemoryStorage} and {@linkcode IdbStorage} (folders are key prefixes).
 *
 * @module
 */
import { type BytesInput, collectBytes } from "./bytes_input.ts";
import { NotFoundError } from "./not_found_error.ts";
import { assertWholeLines, type RemoveOptions, type Storage } from "./storage.ts";
import { normalizeStoragePath } from "./storage_path.ts";

/**
 * The few operations a key-value store must offer. Each call must be atomic on its own
 * (`update` is a read-modify-write in one transaction).
 */
export interface KeyValueBackend {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  update(key: string, updater: (old: Uint8Array | undefined) => Uint8Array): Promise<void>;
  deleteMany(keys: string[]): Promise<void>;
  keys(): Promise<string[]>;
}

const _encoder = new TextEncoder();
const _decoder = new TextDecoder("utf-8", { fatal: true });
const _NEWLINE = 0x0a;

/**
 * Storage over a {@linkcode KeyValueBackend}. A value is written in one `set`, so writes are
 * atomic as long as the backend's are.
 *
 * @example
 * ```ts
 * import { KeyValueStorage, type KeyValueBackend } from "./key_value_storage.ts";
 * const map = new Map<string, Uint8Array>();
 * const backend: KeyValueBackend = {
 *   get: async (k) => map.get(k),
 *   set: async (k, v) => void map.set(k, v),
 *   update: async (k, f) => void map.set(k, f(map.get(k))),
 *   deleteMany: async (ks) => ks.forEach((k) => map.delete(k)),
 *   keys: async () => [...map.keys()],
 * };
 * const storage = new KeyValueStorage(backend, "a map");
 * await storage.writeText("a/b.txt", "hi");
 * console.assert(await storage.readText("a/b.txt") === "hi");
 * ```
 */
export class KeyValueStorage implements Storage {
  readonly location: string;
  #backend: KeyValueBackend;

  constructor(backend: KeyValueBackend, location: string) {
    this.#backend = backend;
    this.location = location;
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const key = normalizeStoragePath(path);
    const value = await this.#backend.get(key);
    if (value !== undefined) return value;
    if (_childrenOf(key, await this.#backend.keys()).length > 0) {
      throw new TypeError(`Cannot read "${key}" as it is a folder, not a file`);
    }
    throw new NotFoundError("read", key, this.location);
  }

  async readText(path: string): Promise<string> {
    return _decoder.decode(await this.readBytes(path));
  }

  async writeBytes(path: string, data: BytesInput): Promise<void> {
    const key = normalizeStoragePath(path);
    // Collect first: a source that throws mid-way leaves the stored value untouched.
    const bytes = await collectBytes(data);
    await this.#assertWritable(key);
    await this.#backend.set(key, bytes);
  }

  async writeText(path: string, text: string): Promise<void> {
    await this.writeBytes(path, _encoder.encode(text));
  }

  async appendText(path: string, text: string): Promise<void> {
    const key = normalizeStoragePath(path);
    assertWholeLines(key, text);
    const added = _encoder.encode(text);
    await this.#assertWritable(key);
    await this.#backend.update(key, (old) => {
      if (old === undefined || old.length === 0) return added;
      const repair = old[old.length - 1] !== _NEWLINE ? 1 : 0;
      const joined = new Uint8Array(old.length + repair + added.length);
      joined.set(old, 0);
      if (repair) joined[old.length] = _NEWLINE;
      joined.set(added, old.length + repair);
      return joined;
    });
  }

  async exists(path: string): Promise<boolean> {
    const key = normalizeStoragePath(path, { allowRoot: true });
    if (key === "") return true;
    if ((await this.#backend.get(key)) !== undefined) return true;
    return _childrenOf(key, await this.#backend.keys()).length > 0;
  }

  async list(dir: string): Promise<string[]> {
    const key = normalizeStoragePath(dir, { allowRoot: true });
    if (key !== "" && (await this.#backend.get(key)) !== undefined) {
      throw new TypeError(`Cannot list "${key}" as it is a file, not a folder`);
    }
    const prefix = key === "" ? "" : `${key}/`;
    const names = new Set<string>();
    for (const k of await this.#backend.keys()) {
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0]);
    }
    return [...names].sort();
  }

  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    const key = normalizeStoragePath(path);
    if ((await this.#backend.get(key)) !== undefined) {
      await this.#backend.deleteMany([key]);
      return;
    }
    const children = _childrenOf(key, await this.#backend.keys());
    if (children.length === 0) throw new NotFoundError("remove", key, this.location);
    if (!options.recursive) {
      throw new TypeError(
        `Cannot remove "${key}" as it is a non-empty folder: pass { recursive: true } to remove it`,
      );
    }
    await this.#backend.deleteMany(children);
  }

  /** Rejects writing a file where a folder is, or below a file (as a file system would). */
  async #assertWritable(key: string): Promise<void> {
    const keys = await this.#backend.keys();
    if (_childrenOf(key, keys).length > 0) {
      throw new TypeError(`Cannot write "${key}" as it is a folder, not a file`);
    }
    const existing = new Set(keys);
    const parts = key.split("/");
    for (let i = 1; i < parts.length; i++) {
      const ancestor = parts.slice(0, i).join("/");
      if (existing.has(ancestor)) {
        throw new TypeError(
          `Cannot write "${key}" as its parent "${ancestor}" is a file, not a folder`,
        );
      }
    }
  }
}

function _childrenOf(key: string, keys: string[]): string[] {
  const prefix = `${key}/`;
  return keys.filter((k) => k.startsWith(prefix));
}
