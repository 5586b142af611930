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
import { preprocessDataset } from "../../../lib/data/preprocess.ts";
import { recipeParams } from "../../../lib/data/spectrogram_params.ts";
import { listMathDataset } from "../../../lib/data/adapters/math.ts";
import { listParkinsonsDataset } from "../../../lib/data/adapters/parkinsons.ts";
import { listFolderDataset } from "../../../lib/data/adapters/folder.ts";
import type { DatasetFiles, DatasetListing } from "../../../lib/data/recording_ref.ts";
import { Rng } from "../../../lib/runtime/rng.ts";
import type { PreprocessWorkerApi } from "../../../workers/preprocess_worker.ts";

type PreprocessConfig = ReturnType<typeof _resolved>;
function _resolved(c: Record<string, unknown>) {
  return c as unknown as {
    run: { seed: number; out: string };
    dataset: {
      name: "math" | "parkinsons" | "folder";
      root: string;
      twentieth_channel: string;
      missing_channels: "error" | "zeros";
      labels_csv: string;
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
  files: DatasetFiles,
): Promise<DatasetListing> {
  switch (config.dataset.name) {
    case "math":
      return listMathDataset(files);
    case "parkinsons":
      return listParkinsonsDataset(files);
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
  summary: "turn a folder of EDF/BDF recordings into a spectrogram dataset",
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
    "Writes into --out: images/*.png (one 256x256 image per 2048-sample window at 125 Hz),",
    "metadata.csv and <split>-metadata.csv (file_name, split, subject, recording, start_s,",
    "one column per label, caption), README.md (dataset card) and preprocess.json.",
    "Finished recordings are skipped on a second run (same parameters); --overwrite redoes",
    "them. A corrupt recording is reported and skipped; the summary lists it.",
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
      config.run.out || join("datasets", `${config.dataset.name}-${config.spectrogram.variant}`),
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
    const pool = new WorkerPool<PreprocessWorkerApi>(
      new URL("../../../workers/preprocess_worker.ts", import.meta.url),
    );
    const bar = createProgressBar();
    let summary;
    try {
      summary = await preprocessDataset(listing, {
        datasetName: config.dataset.name,
        params,
        output: new FileStorage(out),
        rng: new Rng(config.run.seed),
        splitNames: config.split.names,
        splitFractions: config.split.fractions,
        stratifyBy: config.split.stratify_by || undefined,
        overwrite: ctx.values.overwrite === true,
        concurrency: pool.size,
        onProgress: bar.listener,
        provenance: { source: root, seed: String(config.run.seed) },
        render: async (ref) => {
          const bytes = await Deno.readFile(join(root, ref.path));
          return await pool.run((api) =>
            api.render(transfer(bytes, [bytes.buffer as ArrayBuffer]), params, ref.path)
          );
        },
      });
    } finally {
      bar.stop();
      pool.terminate();
    }
    console.log(
      `preprocess: ${summary.recordings} recordings -> ${summary.windows} windows in ${out}` +
        (summary.skipped > 0 ? ` (${summary.skipped} reused from an earlier run)` : ""),
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
