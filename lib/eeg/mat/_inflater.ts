/**
 * Incremental zlib inflation with DecompressionStream("deflate") (Deno and browsers).
 *
 * @module
 */

/**
 * Inflates a zlib stream on demand. The compressed bytes are fed in growing slices (1 KiB
 * doubling to 1 MiB) with no read-ahead, so reading the first few hundred bytes of a
 * variable (its name and dimensions) inflates little more than that.
 */
export class _Inflater {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #length = 0;
  #done = false;

  constructor(compressed: Uint8Array) {
    let position = 0;
    let sliceBytes = 1024;
    const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull(controller) {
        if (position >= compressed.length) return controller.close();
        const end = Math.min(compressed.length, position + sliceBytes);
        controller.enqueue(compressed.slice(position, end));
        position = end;
        sliceBytes = Math.min(sliceBytes * 2, 1 << 20);
      },
    }, { highWaterMark: 0 });
    this.#reader = source.pipeThrough(new DecompressionStream("deflate")).getReader();
  }

  /** True once the stream has ended. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * All output so far, once it is at least `byteCount` bytes long or the stream has ended.
   * Rejects with the stream's own error (a TypeError) when the data is not valid zlib.
   */
  async readAtLeast(byteCount: number): Promise<Uint8Array> {
    while (!this.#done && this.#length < byteCount) {
      const { done, value } = await this.#reader.read();
      if (done) this.#done = true;
      else if (value.length > 0) {
        this.#chunks.push(value);
        this.#length += value.length;
      }
    }
    if (this.#chunks.length > 1) {
      const all = new Uint8Array(this.#length);
      let offset = 0;
      for (const chunk of this.#chunks) {
        all.set(chunk, offset);
        offset += chunk.length;
      }
      this.#chunks = [all];
    }
    return this.#chunks[0] ?? new Uint8Array(0);
  }

  /** Stops inflating (the rest of the stream is never read, so never checked). */
  cancel(): void {
    if (!this.#done) this.#reader.cancel().catch(() => {});
    this.#done = true;
  }
}
