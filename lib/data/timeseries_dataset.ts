/**
 * The time-series variant of a dataset, for the 1-D classifier: the same windows as the
 * spectrogram dataset (RECIPES.md steps 1-4, 10-12: montage, volts, resampling, 2048-sample
 * windows at 125 Hz shifted by 1024, labels, subject splits, captions), stored as z-scored
 * [20, 2048] float32 arrays instead of images, with the same metadata columns.
 *
 * Written through a Storage:
 * - `windows/<stem>_w<NNN>.f32`: 20 x 2048 little-endian float32, channel-major, z-scored
 *   per channel: z = (x - mean[c]) / std[c], x in volts.
 * - `normalization.json`: mean and std per channel (population std, volts), computed from
 *   the windows of the train split only, so no statistic leaks from val or test.
 * - `metadata.csv`, `<split>-metadata.csv` (file_name, split, subject, recording, start_s,
 *   labels, caption) and a README card. The splits equal the image dataset's for the same
 *   recordings, split options and seed (the same draw as lib/data/preprocess.ts).
 *
 * Two passes: the statistics need the splits, and the splits need every recording, so each
 * window is first written raw to `.staging/` and then z-scored into `windows/`; only one
 * window is in memory at a time. A recording that fails is reported and skipped.
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import type { Rng } from "../runtime/rng.ts";
import type { ProgressListener } from "../train/progress.ts";
import { buildCaption, type CaptionLabels } from "./captions.ts";
import type { PreprocessSummary } from "./preprocess.ts";
import type { DatasetListing, RecordingRef } from "./recording_ref.ts";
import { type SpectrogramParams, windowCount } from "./spectrogram_params.ts";
import { assignSplits, writeSplitMetadata } from "./split_metadata.ts";
import { timeseriesCard } from "./timeseries_card.ts";
import { ChannelStats, decodeWindow, encodeWindow } from "./timeseries_window.ts";

/** Loads one recording's montage channels resampled to params.sampleRateHz (volts). */
export type LoadRecordingSignal = (
  ref: RecordingRef,
) => Promise<{ signal: Float32Array[]; warnings: string[]; durationSeconds: number }>;

/** Options for {@linkcode timeseriesDataset}. */
export interface TimeseriesDatasetOptions {
  datasetName: string;
  /** Montage, sample rate, window and shift (the spectrogram fields are not used). */
  params: SpectrogramParams;
  load: LoadRecordingSignal;
  output: Storage;
  rng: Rng;
  splitNames?: string[];
  splitFractions?: number[];
  stratifyBy?: string;
  /** The split the statistics come from. Default "train". */
  statsSplit?: string;
  /** How many recordings to load at once. Default 1. */
  concurrency?: number;
  onProgress?: ProgressListener;
  provenance?: Record<string, string>;
}

/** The contents of normalization.json. */
export interface Normalization {
  channels: string[];
  /** Per channel, volts. */
  mean: number[];
  /** Per channel, volts; 1 for a constant channel (listed in `constantChannels`). */
  std: number[];
  constantChannels: string[];
  /** Where the statistics come from. */
  split: string;
  windows: number;
  layout: { shape: [number, number]; dtype: "float32"; byteOrder: "little"; order: string };
  sampleRateHz: number;
}

/** What {@linkcode timeseriesDataset} did. */
export type TimeseriesSummary = Omit<PreprocessSummary, "skipped"> & {
  normalization: Normalization;
};

function _stem(ref: RecordingRef): string {
  const base = ref.path.slice(ref.path.lastIndexOf("/") + 1).replace(/\.[^.]+$/, "");
  return ref.variable ? `${base}_${ref.variable}` : base;
}

/** Where pass 1 keeps a window before it is z-scored. */
function _staged(fileName: string): string {
  return fileName.replace(/^windows\//, ".staging/");
}

/**
 * Writes the time-series dataset of a listing.
 *
 * @example
 * ```ts ignore
 * const load = async (ref) => await recordingSignal(bytesSource(await files.readBytes(ref.path)), params);
 * const summary = await timeseriesDataset(listing, { datasetName: "math", params, load, output, rng });
 * ```
 */
export async function timeseriesDataset(
  listing: DatasetListing,
  options: TimeseriesDatasetOptions,
): Promise<TimeseriesSummary> {
  const { output, params } = options;
  const channels = params.montage.length, samples = params.windowSamples;
  const rows: Record<string, string | number>[] = [];
  const failed: PreprocessSummary["failed"] = [];
  const warnings = [...listing.warnings];
  let done = 0;
  const total = listing.recordings.length;

  // Pass 1: every window raw (volts) into .staging/, one metadata row each.
  const process = async (ref: RecordingRef) => {
    try {
      const { signal, warnings: recordingWarnings } = await options.load(ref);
      if (signal.length !== channels) {
        throw new RangeError(
          `Cannot cut windows of ${ref.recording} as the signal must have ${channels} ` +
            `channels: current value is ${signal.length}`,
        );
      }
      const count = windowCount(signal[0].length, params);
      if (count === 0) {
        recordingWarnings.push(`${ref.recording}: shorter than one ${samples}-sample window`);
      }
      const zero = new Float64Array(channels), one = new Float64Array(channels).fill(1);
      for (let w = 0; w < count; w++) {
        const start = w * params.shiftSamples;
        const window = signal.map((x) => x.subarray(start, start + samples));
        const name = `${_stem(ref)}_w${String(w).padStart(3, "0")}.f32`;
        await output.writeBytes(_staged(`windows/${name}`), encodeWindow(window, zero, one));
        rows.push({
          file_name: `windows/${name}`,
          subject: ref.subject,
          recording: ref.recording,
          start_s: Number((start / params.sampleRateHz).toFixed(6)),
          ...ref.labels,
          caption: buildCaption(ref.labels as CaptionLabels),
        });
      }
      warnings.push(...recordingWarnings);
    } catch (error) {
      failed.push({ recording: ref.path, message: (error as Error).message.split("\n")[0] });
    }
    done++;
    options.onProgress?.({ job: "timeseries", done, total, message: ref.recording });
  };
  const queue = [...listing.recordings];
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? 1) }, async () => {
      for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) await process(ref);
    }),
  );

  // Splits by subject, drawn exactly as preprocessDataset draws them (RECIPES step 11).
  const names = assignSplits(rows, options);

  // Statistics from the stats split only, then pass 2: z-score into windows/.
  const statsSplit = options.statsSplit ?? "train";
  const stats = new ChannelStats(channels);
  const raw = async (row: Record<string, string | number>) =>
    decodeWindow(await output.readBytes(_staged(String(row.file_name))), channels);
  for (const row of rows.filter((r) => r.split === statsSplit)) {
    const values = await raw(row);
    stats.add(params.montage.map((_, c) => values.subarray(c * samples, (c + 1) * samples)));
  }
  if (stats.count === 0 && rows.length > 0) {
    throw new RangeError(
      `Cannot normalise the time-series dataset as the "${statsSplit}" split must hold ` +
        `windows: current value is 0 of ${rows.length} windows (splits: ${names.join(", ")})`,
    );
  }
  const std = [...stats.std()];
  const constant = params.montage.filter((_, c) => !(std[c] > 0));
  const normalization: Normalization = {
    channels: [...params.montage],
    mean: [...stats.mean],
    std: std.map((s) => (s > 0 ? s : 1)),
    constantChannels: constant,
    split: statsSplit,
    windows: stats.count / samples,
    layout: {
      shape: [channels, samples],
      dtype: "float32",
      byteOrder: "little",
      order: `channel-major: value [c, t] at index c * ${samples} + t`,
    },
    sampleRateHz: params.sampleRateHz,
  };
  if (constant.length > 0) {
    warnings.push(`constant channels (std 0 in ${statsSplit}; stored minus the mean): ${constant}`);
  }
  for (const row of rows) {
    const values = await raw(row);
    const window = params.montage.map((_, c) => values.subarray(c * samples, (c + 1) * samples));
    await output.writeBytes(
      String(row.file_name),
      encodeWindow(window, normalization.mean, normalization.std),
    );
  }
  if (await output.exists(".staging")) await output.remove(".staging", { recursive: true });

  const { labelColumns, splitCounts } = await writeSplitMetadata(output, rows, names);
  await output.writeText("normalization.json", JSON.stringify(normalization, null, 2) + "\n");
  const summary: TimeseriesSummary = {
    recordings: total - failed.length,
    windows: rows.length,
    failed,
    warnings,
    splitCounts,
    normalization,
  };
  await output.writeText(
    "README.md",
    timeseriesCard({
      datasetName: options.datasetName,
      params,
      labelColumns,
      summary,
      provenance: options.provenance ?? {},
    }),
  );
  return summary;
}
