/**
 * Random-access byte sources: how the EDF reader reads a file without loading it whole.
 * `bytesSource` wraps bytes already in memory (a browser drop, a test fixture); the Deno
 * CLI has a file version with range reads in `app/cli/file_byte_source.ts`.
 *
 * @module
 */

/** A readable run of bytes of known size that serves ranges on request. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Resolves to exactly `length` bytes starting at `offset`; both must lie within `size`.
   * The returned view may share memory with the source: callers must not write to it.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: copies the bytes from `offset` into `target` (as many as fit) and resolves to
   * how many were copied, fewer only at the end of the data. Sources that copy anyway (files)
   * offer it so that a reader can reuse one buffer for every chunk instead of a fresh one per
   * read; sources whose `read` returns views (bytes in memory) leave it out.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
}

/**
 * A {@linkcode ByteSource} over bytes in memory; `read` returns views, not copies.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * const source = bytesSource(Uint8Array.of(1, 2, 3, 4));
 * const part = await source.read(1, 2);
 * console.assert(source.size === 4 && part.join() === "2,3");
 * ```
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot make a byte source as the bytes must be a Uint8Array: current value is ${
        Object.prototype.toString.call(bytes)
      }`,
    );
  }
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      _checkRange(offset, length, bytes.length);
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** Throws a RangeError unless [offset, offset + length) lies within [0, size). */
export function _checkRange(offset: number, length: number, size: number): void {
  if (
    !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 ||
    offset + length > size
  ) {
    throw new RangeError(
      `Cannot read bytes as the range must lie within the ${size}-byte source: ` +
        `current value is offset ${offset}, length ${length}`,
    );
  }
}
