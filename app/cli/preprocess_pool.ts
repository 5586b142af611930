/**
 * The worker pool of `deno task preprocess` (one worker per core), and how it reads each
 * recording for a worker: whole EDF/BDF files, or only the trial's element of a MATLAB file.
 *
 * @module
 */
import { transfer } from "comlink";
import { join } from "node:path";
import { UsageError } from "./command.ts";
import { WorkerPool } from "./worker_pool.ts";
import type { RenderRecording } from "../../lib/data/preprocess.ts";
import type { SpectrogramParams } from "../../lib/data/spectrogram_params.ts";
import type { LoadRecordingSignal } from "../../lib/data/timeseries_dataset.ts";
import type { RecordingRef } from "../../lib/data/recording_ref.ts";
import { listMatVariables } from "../../lib/eeg/mat/mod.ts";
import type { PreprocessWorkerApi } from "../../workers/preprocess_worker.ts";

/**
 * Reads the bytes a worker renders a recording from: the whole EDF/BDF file, or for a MAT
 * trial (SEED) a small MAT file of the source's 128-byte header and that trial's element
 * only. A SEED session file holds 15 trials: sent whole per trial, it would be read 15
 * times and have up to one copy per worker in flight. Each MAT file is listed once (one
 * whole read, shared by its trials); a file the reader refuses, or a trial it lacks, is
 * sent whole so that the worker fails with the reader's own message.
 */
class _RecordingBytes {
  #root: string;
  #offsets = new Map<string, Promise<Map<string, number> | null>>();

  constructor(root: string) {
    this.#root = root;
  }

  async read(ref: RecordingRef): Promise<Uint8Array> {
    const path = join(this.#root, ref.path);
    if (ref.format !== "mat" || ref.variable === undefined) return await Deno.readFile(path);
    let offsets = this.#offsets.get(ref.path);
    if (offsets === undefined) {
      offsets = Deno.readFile(path).then(listMatVariables).then(
        (variables) => new Map(variables.map((v) => [v.name, v.byteOffset])),
        () => null,
      );
      this.#offsets.set(ref.path, offsets);
    }
    const offset = (await offsets)?.get(ref.variable);
    return offset === undefined ? await Deno.readFile(path) : await _readMatElement(path, offset);
  }
}

/** The 128-byte header of a MAT file plus its top-level element at `offset`, as one file. */
async function _readMatElement(path: string, offset: number): Promise<Uint8Array> {
  const file = await Deno.open(path);
  try {
    const readAt = async (at: number, length: number) => {
      const out = new Uint8Array(length);
      await file.seek(at, Deno.SeekMode.Start);
      for (let done = 0; done < length;) {
        const n = await file.read(out.subarray(done));
        if (n === null) return out.subarray(0, done); // truncated: the reader says so
        done += n;
      }
      return out;
    };
    const header = await readAt(0, 128);
    const tag = await readAt(offset, 8);
    if (header.length < 128 || tag.length < 8) return await Deno.readFile(path);
    const littleEndian = header[126] === 0x49; // "IM"
    const view = new DataView(tag.buffer);
    const type = view.getUint32(0, littleEndian), byteCount = view.getUint32(4, littleEndian);
    // miMATRIX (14) payloads are padded to 8 bytes; miCOMPRESSED (15) ones are not.
    const padding = type === 15 ? 0 : (8 - (byteCount % 8)) % 8;
    const element = await readAt(offset, 8 + byteCount + padding);
    const out = new Uint8Array(128 + element.length);
    out.set(header);
    out.fill(0, 116, 124); // no subsystem data in the extract
    out.set(element, 128);
    return out;
  } finally {
    file.close();
  }
}

/**
 * The worker pool of `preprocess` (one worker per core) with the two jobs it runs: render
 * a recording's spectrogram windows (images) or load its resampled montage signal
 * (timeseries). The bench's `preprocess` figure uses the same pool.
 */
export class PreprocessPool implements Disposable {
  #pool: WorkerPool<PreprocessWorkerApi>;
  #bytes: _RecordingBytes;
  #params: SpectrogramParams;
  #unitScale: number;

  constructor(
    root: string,
    params: SpectrogramParams,
    options: { unitScale?: number; size?: number } = {},
  ) {
    this.#pool = new WorkerPool<PreprocessWorkerApi>(
      new URL("../../workers/preprocess_worker.ts", import.meta.url),
      options.size,
    );
    this.#bytes = new _RecordingBytes(root);
    this.#params = params;
    this.#unitScale = options.unitScale ?? 1e-6;
  }

  /** Resolves once every worker has loaded its modules. */
  async ready(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.#pool.run((api) => api.ping())));
  }

  /** Number of workers. */
  get size(): number {
    return this.#pool.size;
  }

  /**
   * Recordings to keep in flight: two per worker, so that a worker already renders the
   * next recording while the main thread writes the last one's files (with one per worker,
   * each worker idled through those writes: 3.3 s -> 2.5 s for the 32 Math recordings).
   */
  get inFlight(): number {
    return 2 * this.#pool.size;
  }

  /** Renders one recording's windows in a worker. */
  render: RenderRecording = async (ref) => {
    const bytes = await this.#bytes.read(ref);
    const params = this.#params, unitScale = this.#unitScale;
    return await this.#pool.run((api) =>
      api.render(transfer(bytes, [bytes.buffer as ArrayBuffer]), params, ref, { unitScale })
    );
  };

  /** Loads one EDF/BDF recording's montage signal at the common rate in a worker. */
  load: LoadRecordingSignal = async (ref) => {
    if (ref.format === "mat") {
      throw new UsageError(
        `preprocess: dataset.output = "timeseries" is not supported yet for MATLAB ` +
          `recordings (${ref.recording}); use dataset.output = "images"`,
      );
    }
    const bytes = await this.#bytes.read(ref);
    const params = this.#params;
    return await this.#pool.run((api) =>
      api.signal(transfer(bytes, [bytes.buffer as ArrayBuffer]), params, ref)
    );
  };

  /** Stops the workers. */
  [Symbol.dispose](): void {
    this.#pool.terminate();
  }
}
