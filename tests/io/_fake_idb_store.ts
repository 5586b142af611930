/**
 * A tiny in-memory stand-in for an IndexedDB object store, shaped like idb-keyval's
 * `UseStore`, so IdbStorage runs its real idb-keyval calls in Deno (which has no
 * IndexedDB). Requests complete asynchronously like IndexedDB's; a readwrite transaction
 * buffers its writes and commits them when it completes, so its atomicity is modelled too.
 *
 * @module
 */
import type { UseStore } from "idb-keyval";

interface _FakeRequest {
  result?: unknown;
  error?: unknown;
  onsuccess?: (() => void) | null;
  onerror?: (() => void) | null;
}

/** A fake store and the Map behind it (values are structured clones, as in IndexedDB). */
export function fakeIdbStore(): { store: UseStore; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const store: UseStore = <T>(
    txMode: IDBTransactionMode,
    callback: (store: IDBObjectStore) => T | PromiseLike<T>,
  ): Promise<T> => {
    const pending = new Map<string, unknown>(); // key -> value, or _DELETED
    let open = 0;
    const transaction: _FakeRequest & { oncomplete?: (() => void) | null } = {};
    const request = (compute: () => unknown): _FakeRequest => {
      const req: _FakeRequest = {};
      open++;
      setTimeout(() => {
        req.result = compute();
        open--;
        req.onsuccess?.();
      }, 0);
      return req;
    };
    const view = (key: string) => pending.has(key) ? pending.get(key) : data.get(key);
    const writable = () => {
      if (txMode !== "readwrite") throw new Error("ReadOnlyError: readonly transaction");
    };
    const objectStore = {
      transaction,
      get: (key: string) =>
        request(() => {
          const v = view(key);
          return v === _DELETED ? undefined : structuredClone(v);
        }),
      put: (value: unknown, key: string) => {
        writable();
        pending.set(key, structuredClone(value));
        return request(() => key);
      },
      delete: (key: string) => {
        writable();
        pending.set(key, _DELETED);
        return request(() => undefined);
      },
      getAllKeys: () =>
        request(() => {
          const keys = new Set([...data.keys(), ...pending.keys()]);
          return [...keys].filter((k) => view(k) !== _DELETED).sort();
        }),
    };
    const result = Promise.resolve(callback(objectStore as unknown as IDBObjectStore));
    // Complete once no request is outstanding, after their handlers have run.
    const finish = () => {
      if (open > 0) return void setTimeout(finish, 0);
      for (const [k, v] of pending) v === _DELETED ? data.delete(k) : data.set(k, v);
      transaction.oncomplete?.();
    };
    setTimeout(finish, 0);
    return result;
  };
  return { store, data };
}

const _DELETED = Symbol("deleted");
