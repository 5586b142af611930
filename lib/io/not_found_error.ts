/**
 * The error every {@linkcode Storage} throws for a missing file or folder.
 *
 * @module
 */

/**
 * A storage path does not exist. Carries the path so that callers can tell which file of a
 * run folder is missing without parsing the message.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "./not_found_error.ts";
 * const error = new NotFoundError("read", "runs/a/run.json", "/tmp/work");
 * console.assert(error.path === "runs/a/run.json");
 * console.assert(error.message.includes("runs/a/run.json"));
 * ```
 */
export class NotFoundError extends Error {
  /** The storage path that was asked for. */
  readonly path: string;

  /**
   * @param action what was attempted ("read", "remove", ...)
   * @param path the storage path
   * @param location where the storage lives (a directory, "memory", an IndexedDB name)
   */
  constructor(action: string, path: string, location?: string) {
    super(
      `Cannot ${action} "${path}" as it does not exist${location ? ` in ${location}` : ""}`,
    );
    this.name = "NotFoundError";
    this.path = path;
  }
}
