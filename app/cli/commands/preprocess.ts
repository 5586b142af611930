/**
 * `deno task preprocess`: a folder of raw recordings -> a spectrogram dataset.
 *
 * @module
 */
import { transfer } from "comlink";
import { join, resolve } from "node:path";
import { type Command, UsageError } from "../command.ts";
import {
  CONFIG_FLAGS,
  CONFIG_FLAGS_HELP,
  loadTaskConfig,
  maybePrintConfig,
} from "../task_config.ts";
import { FileStorage } from "../file_storage.ts";
import { createProgressBar } from "../progress.ts";
import { WorkerPool } from "../worker_pool.ts";
import { PREPROCESS_SCHEMA } from "../../../lib/data/preprocess_schema.ts";
import { preprocessDataset, type RenderRecording } from "../../../lib/data/preprocess.ts";
import { recipeParams, type SpectrogramParams } from "../../../lib/data/spectrogram_params.ts";
import {
  type LoadRecordingSignal,
  timeseriesDataset,
} from "../../../lib/data/timeseries_dataset.ts";
import { listMathDataset } from "../../../lib/data/adapters/math.ts";
import { listParkinsonsDataset } from "../../../lib/data/adapters/parkinsons.ts";
import { listFolderDataset } from "../../../lib/data/adapters/folder.ts";
import { listSeedDataset, type SeedDatasetFiles } from "../../../lib/data/adapters/seed.ts";
import type { DatasetListing, RecordingRef } from "../../../lib/data/recording_ref.ts";
import { listMatVariables } from "../../../lib/eeg/mat/mod.ts";
import { Rng } from "../../../lib/runtime/rng.ts";
import type { PreprocessWorkerApi } from "../../../workers/preprocess_worker.ts";

type PreprocessConfig = ReturnType<typeof _resolved>;
function _resolved(c: Record<string, unknown>) {
  return c as unknown as {
    run: { seed: number; out: string };
    dataset: {
      name: "math" | "parkinsons" | "seed" | "folder";
      root: string;
      output: "images" | "timeseries";
      twentieth_channel: string;
      missing_channels: "error" | "zeros";
      labels_csv: string;
      participants: string;
      sample_rate_hz: number;
      unit_scale: number;
    };
    spectrogram: {
      variant: "db" | "db-iq" | "db-polar";
      min_db: number;
      max_db: number;
      hop_multiple: number;
    };
    split: { names: string[]; fractions: number[]; stratify_by: string };
  };
}

/** Lists a dataset with the adapter its config names. */
export function listDataset(
  config: PreprocessConfig,
  files: SeedDatasetFiles,
): Promise<DatasetListing> {
  switch (config.dataset.name) {
    case "math":
      return listMathDataset(files);
    case "parkinsons":
      return listParkinsonsDataset(files);
    case "seed":
      return listSeedDataset(files, {
        participants: config.dataset.participants,
        sampleRateHz: config.dataset.sample_rate_hz,
      });
    case "folder":
      return listFolderDataset(files, { labelsCsv: config.dataset.labels_csv });
  }
}

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

async function _checkFolder(path: string, what: string): Promise<void> {
  try {
    if (!(await Deno.stat(path)).isDirectory) {
      throw new UsageError(`${what} ${path} is not a folder`);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`${what} ${path} does not exist`);
    }
    throw error;
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
      new URL("../../../workers/preprocess_worker.ts", import.meta.url),
      options.size,
    );
    this.#bytes = new _RecordingBytes(root);
    this.#params = params;
    this.#unitScale = options.unitScale ?? 1e-6;
  }

  /** Number of workers (recordings in flight). */
  get size(): number {
    return this.#pool.size;
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

export const command: Command = {
  name: "preprocess",
  summary: "turn a folder of EDF/BDF (or SEED .mat) recordings into a spectrogram dataset",
  help: [
    "deno task preprocess: raw recordings -> spectrogram PNGs + metadata (RECIPES.md recipe)",
    "",
    "Usage:",
    "  deno task preprocess --config config/data/math.toml --set dataset.root=DIR --out DIR",
    "",
    "Example (the real Math recordings):",
    "  deno task preprocess --config config/data/math.toml \\",
    "    --set dataset.root=../shared/data/eeg/eegmat --out datasets/math",
    "",
    "SEED (one .mat per session, 15 trials each, label.mat): config/data/seed.toml, one",
    "recording per trial (<file>#<variable>); gender/age from dataset.participants (CSV).",
    "",
    "Writes into --out: images/*.png (one 256x256 image per 2048-sample window at 125 Hz),",
    "metadata.csv and <split>-metadata.csv (file_name, split, subject, recording, start_s,",
    "one column per label, caption), README.md (dataset card) and preprocess.json.",
    "Finished recordings are skipped on a second run (same parameters); --overwrite redoes",
    "them. A corrupt recording is reported and skipped; the summary lists it.",
    "",
    "With --set dataset.output=timeseries (preset config/data/math-timeseries.toml) it writes",
    "the same windows as z-scored 20 x 2048 float32 arrays instead: windows/*.f32,",
    "normalization.json (per-channel mean/std of the train split), the same metadata files",
    "and README.md; every recording is redone on each run. EDF/BDF recordings only.",
    "",
    "Flags:",
    CONFIG_FLAGS_HELP,
    "  --overwrite              redo recordings that a previous run finished",
  ].join("\n"),
  flags: { ...CONFIG_FLAGS, overwrite: { type: "boolean" } },
  async run(ctx) {
    const config = _resolved(await loadTaskConfig(ctx.values, PREPROCESS_SCHEMA));
    if (maybePrintConfig(ctx.values, config, PREPROCESS_SCHEMA)) return 0;
    if (config.dataset.root === "") {
      throw new UsageError(
        "dataset.root is not set: pass --set dataset.root=DIR (the raw recordings)",
      );
    }
    const root = resolve(config.dataset.root);
    await _checkFolder(root, "dataset.root");
    const out = resolve(
      config.run.out ||
        join(
          "datasets",
          `${config.dataset.name}-${
            config.dataset.output === "timeseries" ? "timeseries" : config.spectrogram.variant
          }`,
        ),
    );
    const input = new FileStorage(root);
    const listing = await listDataset(config, input);
    const params = recipeParams({
      twentieth: config.dataset.twentieth_channel,
      dbRange: [config.spectrogram.min_db, config.spectrogram.max_db],
      hopMultiple: config.spectrogram.hop_multiple,
      variant: config.spectrogram.variant,
      missingChannels: config.dataset.missing_channels,
    });
    const timeseries = config.dataset.output === "timeseries";
    if (timeseries && listing.recordings.some((ref) => ref.format === "mat")) {
      throw new UsageError(
        `preprocess: dataset.output = "timeseries" is not supported yet for MATLAB ` +
          `(.mat) recordings such as SEED's; use dataset.output = "images"`,
      );
    }
    using pool = new PreprocessPool(root, params, { unitScale: config.dataset.unit_scale });
    const split = {
      rng: new Rng(config.run.seed),
      splitNames: config.split.names,
      splitFractions: config.split.fractions,
      stratifyBy: config.split.stratify_by || undefined,
    };
    const provenance = { source: root, seed: String(config.run.seed) };
    const bar = createProgressBar();
    let summary;
    try {
      if (timeseries) {
        summary = await timeseriesDataset(listing, {
          datasetName: config.dataset.name,
          params,
          load: pool.load,
          output: new FileStorage(out),
          ...split,
          concurrency: pool.size,
          onProgress: bar.listener,
          provenance,
        });
      } else {
        summary = await preprocessDataset(listing, {
          datasetName: config.dataset.name,
          params,
          output: new FileStorage(out),
          ...split,
          overwrite: ctx.values.overwrite === true,
          concurrency: pool.size,
          onProgress: bar.listener,
          provenance,
          render: pool.render,
        });
      }
    } finally {
      bar.stop();
    }
    const reused = "skipped" in summary ? summary.skipped : 0;
    console.log(
      `preprocess: ${summary.recordings} recordings -> ${summary.windows} windows in ${out}` +
        (reused > 0 ? ` (${reused} reused from an earlier run)` : ""),
    );
    for (const [name, c] of Object.entries(summary.splitCounts)) {
      console.log(`  ${name}: ${c.subjects} subjects, ${c.windows} windows`);
    }
    for (const f of summary.failed) console.error(`  FAILED ${f.recording}: ${f.message}`);
    if (summary.failed.length > 0) {
      console.error(
        `preprocess: ${summary.failed.length} recording(s) failed and were skipped (listed above and in README.md)`,
      );
    }
    if (summary.recordings === 0) {
      throw new UsageError(
        `preprocess: no recording could be processed (${summary.failed.length} failed)`,
      );
    }
    return 0;
  },
};
