/**
 * An in-memory {@linkcode Storage}: for tests, and a browser fallback where IndexedDB is
 * missing (private windows of some browsers).
 *
 * @module
 */
import { type KeyValueBackend, KeyValueStorage } from "./key_value_storage.ts";

/**
 * Storage held in a `Map`; values are copied in and out, so callers cannot alter stored
 * bytes by mutating their arrays.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from "./memory_storage.ts";
 * const storage = new MemoryStorage();
 * await storage.appendText("history.jsonl", '{"step":1}\n');
 * await storage.appendText("history.jsonl", '{"step":2}\n');
 * console.assert((await storage.readText("history.jsonl")).split("\n").length === 3);
 * ```
 */
export class MemoryStorage extends KeyValueStorage {
  constructor() {
    super(_mapBackend(new Map()), "memory");
  }
}

function _mapBackend(map: Map<string, Uint8Array>): KeyValueBackend {
  return {
    get: (key) => Promise.resolve(map.get(key)?.slice()),
    set: (key, value) => {
      map.set(key, value.slice());
      return Promise.resolve();
    },
    update: (key, updater) => {
      map.set(key, updater(map.get(key)).slice());
      return Promise.resolve();
    },
    deleteMany: (keys) => {
      for (const key of keys) map.delete(key);
      return Promise.resolve();
    },
    keys: () => Promise.resolve([...map.keys()]),
  };
}
