/**
 * `deno task preprocess`: a folder of raw recordings -> a spectrogram dataset.
 *
 * @module
 */
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
import { PreprocessPool } from "../preprocess_pool.ts";
import { PREPROCESS_SCHEMA } from "../../../lib/data/preprocess_schema.ts";
import { preprocessDataset } from "../../../lib/data/preprocess.ts";
import { recipeParams } from "../../../lib/data/spectrogram_params.ts";
import { timeseriesDataset } from "../../../lib/data/timeseries_dataset.ts";
import { listMathDataset } from "../../../lib/data/adapters/math.ts";
import { listParkinsonsDataset } from "../../../lib/data/adapters/parkinsons.ts";
import { listFolderDataset } from "../../../lib/data/adapters/folder.ts";
import { listSeedDataset, type SeedDatasetFiles } from "../../../lib/data/adapters/seed.ts";
import type { DatasetListing } from "../../../lib/data/recording_ref.ts";
import { Rng } from "../../../lib/runtime/rng.ts";

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
    // Every file is written atomically (temporary name, then rename), so a killed run never
    // leaves half a file; they are not fsynced one by one (hundreds of PNGs: fsync made
    // preprocessing about 1.5x slower). After a power cut, rerun with --overwrite.
    const output = new FileStorage(out, { sync: false });
    const bar = createProgressBar();
    let summary;
    try {
      if (timeseries) {
        summary = await timeseriesDataset(listing, {
          datasetName: config.dataset.name,
          params,
          load: pool.load,
          output,
          ...split,
          concurrency: pool.inFlight,
          onProgress: bar.listener,
          provenance,
        });
      } else {
        summary = await preprocessDataset(listing, {
          datasetName: config.dataset.name,
          params,
          output,
          ...split,
          overwrite: ctx.values.overwrite === true,
          concurrency: pool.inFlight,
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
