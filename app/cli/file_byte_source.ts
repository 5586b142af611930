/**
 * A {@linkcode ByteSource} over a file on disk with range reads (seek + read), so the EDF
 * reader never loads a 2 GB recording whole.
 *
 * @module
 */
import type { ByteSource } from "../../lib/eeg/edf/mod.ts";

/** A file opened for range reads; close it when done (or use `using`). */
export interface FileByteSource extends ByteSource, Disposable {
  /** The path it was opened from. */
  readonly path: string;
  /** Copies into `target` from `offset`; fewer bytes only where the file ended early. */
  readInto(offset: number, target: Uint8Array): Promise<number>;
  /** Closes the file; later reads reject. */
  close(): void;
}

/**
 * Opens `path` for range reads. Each read seeks and reads synchronously underneath, so
 * concurrent `read` calls never race on the one file position. A read past the current end of the file (one that shrank after
 * opening) resolves to fewer bytes, which the EDF reader reports as an EdfFormatError.
 *
 * @example
 * ```ts ignore
 * import { openFileByteSource } from "./file_byte_source.ts";
 * import { EdfReader } from "../../lib/eeg/edf/mod.ts";
 * using source = await openFileByteSource("recording.edf");
 * const reader = await EdfReader.open(source);
 * const { data } = await reader.readSignals({ channels: ["EEG Fp1"], startSeconds: 10, endSeconds: 20 });
 * ```
 */
export function openFileByteSource(path: string | URL): Promise<FileByteSource> {
  // Synchronous file ops: each async one hops to Deno's blocking thread pool and back,
  // which cost about 0.15 ms apiece here (open, stat, seek and read of 32 EDF files: 45 ms
  // of a 110 ms pass), far more than the reads themselves from the page cache.
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (error) {
    return Promise.reject(error);
  }
  let size: number;
  try {
    size = file.statSync().size;
  } catch (error) {
    file.close();
    return Promise.reject(error);
  }
  let closed = false;
  const readAt = (offset: number, length: number): Uint8Array => {
    const bytes = new Uint8Array(length);
    return bytes.subarray(0, readIntoAt(offset, bytes));
  };
  const readIntoAt = (offset: number, target: Uint8Array): number => {
    if (closed) {
      throw new TypeError(
        `Cannot read ${String(path)} as the source must be open: current value is closed`,
      );
    }
    file.seekSync(offset, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < target.length) {
      const n = file.readSync(target.subarray(filled));
      if (n === null || n === 0) break;
      filled += n;
    }
    return filled;
  };
  const close = () => {
    if (closed) return;
    closed = true;
    file.close();
  };
  return Promise.resolve({
    path: String(path),
    size,
    read(offset: number, length: number): Promise<Uint8Array> {
      if (
        !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 ||
        length < 0 || offset + length > size
      ) {
        return Promise.reject(
          new RangeError(
            `Cannot read bytes as the range must lie within the ${size}-byte file: ` +
              `current value is offset ${offset}, length ${length}`,
          ),
        );
      }
      try {
        return Promise.resolve(readAt(offset, length));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    readInto(offset: number, target: Uint8Array): Promise<number> {
      if (
        !Number.isSafeInteger(offset) || offset < 0 || offset + target.length > size ||
        !(target instanceof Uint8Array)
      ) {
        return Promise.reject(
          new RangeError(
            `Cannot read bytes as the range must lie within the ${size}-byte file: ` +
              `current value is offset ${offset}, length ${target?.length}`,
          ),
        );
      }
      try {
        return Promise.resolve(readIntoAt(offset, target));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    close,
    [Symbol.dispose]: close,
  });
}
