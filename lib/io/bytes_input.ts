/**
 * Byte sources: what {@linkcode Storage.writeBytes} accepts, from one buffer to a stream of
 * chunks (so large weights can be written without one big copy).
 *
 * @module
 */

/** Bytes to write: one buffer, or chunks from a (possibly async) iterable. */
export type BytesInput =
  | Uint8Array
  | ArrayBuffer
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>;

/**
 * The chunks of a {@linkcode BytesInput}, in order. Errors thrown by the source propagate.
 *
 * @example
 * ```ts
 * import { byteChunks } from "./bytes_input.ts";
 * let n = 0;
 * for await (const chunk of byteChunks([new Uint8Array(2), new Uint8Array(3)])) n += chunk.length;
 * console.assert(n === 5);
 * ```
 */
export async function* byteChunks(source: BytesInput): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (source instanceof ArrayBuffer) {
    yield new Uint8Array(source);
    return;
  }
  if (source === null || typeof source !== "object") {
    throw new TypeError(
      `Cannot write bytes as the source must be a Uint8Array, ArrayBuffer or iterable of ` +
        `Uint8Array chunks: current value is ${String(source)}`,
    );
  }
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(
        `Cannot write bytes as every chunk must be a Uint8Array: current value is ${
          Object.prototype.toString.call(chunk)
        }`,
      );
    }
    yield chunk;
  }
}

/**
 * All bytes of a {@linkcode BytesInput} in one new Uint8Array that owns its whole buffer
 * (safe to keep, and structured-clones without extra bytes).
 *
 * @example
 * ```ts
 * import { collectBytes } from "./bytes_input.ts";
 * const bytes = await collectBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]);
 * console.assert(bytes.join() === "1,2,3");
 * ```
 */
export async function collectBytes(source: BytesInput): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of byteChunks(source)) {
    chunks.push(chunk);
    length += chunk.length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
