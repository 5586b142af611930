/**
 * A {@linkcode Storage} in the browser's IndexedDB, through idb-keyval: key = path, value =
 * the file's bytes. It uses its own database so it does not clash with other data.
 *
 * @module
 */
import { createStore, delMany, get, keys, set, update, type UseStore } from "idb-keyval";
import { type KeyValueBackend, KeyValueStorage } from "./key_value_storage.ts";

/** Options for {@linkcode IdbStorage}. */
export interface IdbStorageOptions {
  /** IndexedDB database name. Default "workbench-storage". */
  dbName?: string;
  /** Object store name inside it. Default "files". */
  storeName?: string;
  /**
   * An idb-keyval store to use instead of opening `dbName`/`storeName`; tests pass an
   * in-memory fake here (Deno has no IndexedDB).
   */
  store?: UseStore;
}

/**
 * Storage in IndexedDB. Each write is one IndexedDB transaction, so it is atomic; appends
 * read and write in one transaction.
 *
 * @example
 * ```ts ignore
 * import { IdbStorage } from "./idb_storage.ts";
 * const storage = new IdbStorage(); // in a browser or a Web Worker
 * await storage.writeText("runs/a/run.json", "{}");
 * ```
 */
export class IdbStorage extends KeyValueStorage {
  constructor(options: IdbStorageOptions = {}) {
    const dbName = options.dbName ?? "workbench-storage";
    const storeName = options.storeName ?? "files";
    // createStore opens the database lazily, on the first call.
    const store = options.store ?? createStore(dbName, storeName);
    super(_idbBackend(store), `IndexedDB ${dbName}/${storeName}`);
  }
}

function _idbBackend(store: UseStore): KeyValueBackend {
  return {
    get: (key) => get<Uint8Array>(key, store),
    set: (key, value) => set(key, value, store),
    update: (key, updater) => update<Uint8Array>(key, updater, store),
    deleteMany: (paths) => delMany(paths, store),
    keys: async () => (await keys(store)).filter((k): k is string => typeof k === "string"),
  };
}
