/**
 * Preprocessing: a dataset listing -> spectrogram PNGs + metadata.csv + <split>-metadata.csv
 * + a README dataset card, written through a Storage (a folder in the CLI).
 *
 * Idempotent: each finished recording leaves a small state file (`.state/<name>.json`) with
 * its metadata rows and the parameters' fingerprint; a second run skips it unless the
 * parameters changed or `overwrite` is set. Splits and the metadata files are rebuilt at the
 * end from every finished recording, so adding recordings later re-splits consistently.
 * A recording that fails (corrupt file, missing channel) is reported and skipped, and the
 * run says so in its summary: never silently.
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import type { Rng } from "../runtime/rng.ts";
import type { ProgressListener } from "../train/progress.ts";
import { EtaEstimator } from "../train/progress.ts";
import { buildCaption, type CaptionLabels } from "./captions.ts";
import type { DatasetListing, RecordingRef } from "./recording_ref.ts";
import type { WindowImage } from "./recording_images.ts";
import type { SpectrogramParams } from "./spectrogram_params.ts";
import { assignSplits, type SplitCounts, writeSplitMetadata } from "./split_metadata.ts";
import { datasetCard } from "./dataset_card.ts";

/** Renders one recording's windows (in-process, or in a worker pool in the CLI). */
export type RenderRecording = (
  ref: RecordingRef,
) => Promise<{ windows: WindowImage[]; warnings: string[]; durationSeconds: number }>;

/** Options for {@linkcode preprocessDataset}. */
export interface PreprocessOptions {
  datasetName: string;
  params: SpectrogramParams;
  render: RenderRecording;
  output: Storage;
  rng: Rng;
  splitNames?: string[];
  splitFractions?: number[];
  /** A label to stratify the subject split by (e.g. "gender"). */
  stratifyBy?: string;
  overwrite?: boolean;
  /** How many recordings to render at once (the CLI uses one per core). */
  concurrency?: number;
  onProgress?: ProgressListener;
  /** Extra facts for the dataset card (source, licence, command line). */
  provenance?: Record<string, string>;
}

/** A recording that could not be processed. */
export interface FailedRecording {
  recording: string;
  message: string;
}

/** What {@linkcode preprocessDataset} did. */
export interface PreprocessSummary {
  recordings: number;
  skipped: number;
  windows: number;
  failed: FailedRecording[];
  warnings: string[];
  splitCounts: SplitCounts;
}

export { FIXED_COLUMNS } from "./split_metadata.ts";

interface _State {
  fingerprint: string;
  rows: Record<string, string | number>[];
  warnings: string[];
}

function _stateName(ref: RecordingRef): string {
  return `.state/${
    (ref.variable ? `${ref.path}#${ref.variable}` : ref.path).replace(/[\/#]/g, "__")
  }.json`;
}

function _stem(ref: RecordingRef): string {
  const base = ref.path.slice(ref.path.lastIndexOf("/") + 1).replace(/\.[^.]+$/, "");
  return ref.variable ? `${base}_${ref.variable}` : base;
}

/**
 * Runs the whole preprocessing of a listing.
 *
 * @example
 * ```ts ignore
 * const summary = await preprocessDataset(listing, { datasetName: "math", params, render, output, rng });
 * ```
 */
export async function preprocessDataset(
  listing: DatasetListing,
  options: PreprocessOptions,
): Promise<PreprocessSummary> {
  const { output, params } = options;
  const fingerprint = JSON.stringify(params);
  const failed: FailedRecording[] = [];
  const warnings = [...listing.warnings];
  const rows: Record<string, string | number>[] = [];
  let skipped = 0, done = 0;
  const total = listing.recordings.length;
  const eta = new EtaEstimator(total);
  const report = (message: string) => {
    eta.update(done);
    options.onProgress?.({ job: "preprocess", done, total, message, etaSeconds: eta.etaSeconds() });
  };
  report("starting");

  const process = async (ref: RecordingRef) => {
    const statePath = _stateName(ref);
    if (!options.overwrite && await output.exists(statePath)) {
      const state = JSON.parse(await output.readText(statePath)) as _State;
      if (state.fingerprint === fingerprint) {
        rows.push(...state.rows);
        warnings.push(...state.warnings);
        skipped++;
        return;
      }
    }
    try {
      const result = await options.render(ref);
      const stem = _stem(ref);
      const recordingRows = [];
      const writes: Promise<void>[] = [];
      for (const window of result.windows) {
        const fileName = `images/${stem}_w${String(window.index).padStart(3, "0")}.png`;
        // All of a recording's images are written at once (each atomically), not one
        // after the other: the file system's round trips overlap.
        writes.push(output.writeBytes(fileName, window.png));
        recordingRows.push({
          file_name: fileName,
          subject: ref.subject,
          recording: ref.recording,
          start_s: Number(window.startSeconds.toFixed(6)),
          ...ref.labels,
          caption: buildCaption(ref.labels as CaptionLabels),
        });
      }
      await Promise.all(writes);
      if (result.windows.length === 0) {
        result.warnings.push(
          `${ref.recording}: shorter than one ${params.windowSamples}-sample window at ` +
            `${params.sampleRateHz} Hz (${result.durationSeconds.toFixed(1)} s); no images`,
        );
      }
      const state: _State = { fingerprint, rows: recordingRows, warnings: result.warnings };
      await output.writeText(statePath, JSON.stringify(state));
      rows.push(...recordingRows);
      warnings.push(...result.warnings);
    } catch (error) {
      failed.push({ recording: ref.path, message: (error as Error).message.split("\n")[0] });
    }
  };

  // A small pool: `concurrency` recordings in flight (the render may run in workers).
  const queue = [...listing.recordings];
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, async () => {
    for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
      await process(ref);
      done++;
      report(ref.recording);
    }
  });
  await Promise.all(workers);

  // Splits by subject over every finished recording (RECIPES step 11).
  const names = assignSplits(rows, options);
  const { labelColumns, splitCounts } = await writeSplitMetadata(output, rows, names);
  const summary: PreprocessSummary = {
    recordings: total - failed.length,
    skipped,
    windows: rows.length,
    failed,
    warnings,
    splitCounts,
  };
  await output.writeText(
    "README.md",
    datasetCard({
      datasetName: options.datasetName,
      params,
      rows,
      labelColumns,
      summary,
      provenance: options.provenance ?? {},
    }),
  );
  await output.writeText("preprocess.json", JSON.stringify({ params, summary }, null, 2) + "\n");
  return summary;
}
