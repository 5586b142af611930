/**
 * Storage paths: POSIX-style relative paths such as "runs/x/model/model.json", the same in
 * every {@linkcode Storage} implementation.
 *
 * @module
 */

/** Options for {@linkcode normalizeStoragePath}. */
export interface NormalizeStoragePathOptions {
  /** Accept "" (or ".") for the storage root, e.g. to list it. Default false. */
  allowRoot?: boolean;
}

/**
 * Checks a storage path and returns its canonical form: "/"-separated, no empty or "."
 * segments, no trailing "/". Absolute paths, ".." and "\\" are rejected so that a path can
 * never leave the storage (a `FileStorage` is rooted at a directory).
 *
 * @example
 * ```ts
 * import { normalizeStoragePath } from "./storage_path.ts";
 * console.assert(normalizeStoragePath("runs//a/./model.json") === "runs/a/model.json");
 * console.assert(normalizeStoragePath(".", { allowRoot: true }) === "");
 * ```
 */
export function normalizeStoragePath(
  path: string,
  options: NormalizeStoragePathOptions = {},
): string {
  if (typeof path !== "string") {
    throw new TypeError(
      `Cannot use a storage path as it must be a string: current value is ${String(path)}`,
    );
  }
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    throw new RangeError(
      `Cannot use a storage path as it must be relative: current value is "${path}"`,
    );
  }
  if (path.includes("\\") || path.includes("\0")) {
    throw new RangeError(
      `Cannot use a storage path as it must use "/" separators and no NUL: current value is "${path}"`,
    );
  }
  const parts: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      throw new RangeError(
        `Cannot use a storage path as ".." could leave the storage: current value is "${path}"`,
      );
    }
    parts.push(segment);
  }
  const normalized = parts.join("/");
  if (normalized === "" && !options.allowRoot) {
    throw new RangeError(
      `Cannot use a storage path as it must name a file or folder: current value is "${path}"`,
    );
  }
  return normalized;
}

/**
 * Joins path segments with "/" and normalizes the result; empty segments are skipped, so
 * joining onto the root "" gives a relative path.
 *
 * @example
 * ```ts
 * import { joinStoragePath } from "./storage_path.ts";
 * console.assert(joinStoragePath("", "model", "model.json") === "model/model.json");
 * console.assert(joinStoragePath("runs/a/", "history.jsonl") === "runs/a/history.jsonl");
 * ```
 */
export function joinStoragePath(...parts: string[]): string {
  return normalizeStoragePath(parts.filter((p) => p !== "").join("/"), { allowRoot: true });
}

/**
 * The folder that holds `path` ("" for a top-level name).
 *
 * @example
 * ```ts
 * import { parentStoragePath } from "./storage_path.ts";
 * console.assert(parentStoragePath("runs/a/run.json") === "runs/a");
 * console.assert(parentStoragePath("run.json") === "");
 * ```
 */
export function parentStoragePath(path: string): string {
  const normalized = normalizeStoragePath(path, { allowRoot: true });
  const slash = normalized.lastIndexOf("/");
  return slash < 0 ? "" : normalized.slice(0, slash);
}
