/**
 * `deno task meta-dataset`: several preprocessed datasets -> one weighted dataset whose
 * (dataset, gender) cells carry equal weight within each split.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { type Command, UsageError } from "../command.ts";
import {
  CONFIG_FLAGS,
  CONFIG_FLAGS_HELP,
  loadTaskConfig,
  maybePrintConfig,
} from "../task_config.ts";
import { FileStorage } from "../file_storage.ts";
import { createProgressBar } from "../progress.ts";
import { META_DATASET_SCHEMA } from "../../../lib/data/meta_dataset_schema.ts";
import { writeMetaDataset } from "../../../lib/data/write_meta_dataset.ts";

function _resolved(c: Record<string, unknown>) {
  return c as unknown as {
    run: { seed: number; out: string };
    data: { roots: string[]; names: string[]; balance: string[] };
  };
}

/** Checks a root is a preprocessed dataset folder; a UsageError names it otherwise. */
async function _checkRoot(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`data.roots: dataset folder ${path} does not exist`);
    }
    throw error;
  }
  if (!info.isDirectory) throw new UsageError(`data.roots: ${path} is not a folder`);
  try {
    await Deno.stat(join(path, "metadata.csv"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(
        `data.roots: dataset folder ${path} has no metadata.csv (make it with deno task preprocess)`,
      );
    }
    throw error;
  }
}

export const command: Command = {
  name: "meta-dataset",
  summary: "combine preprocessed datasets into one weighted dataset",
  help: [
    "deno task meta-dataset: preprocessed datasets -> one dataset balanced by gender and dataset",
    "",
    "Usage:",
    "  deno task meta-dataset --config FILE [--set data.roots=[...]] --out DIR",
    "",
    "Example (after preprocessing Math and Parkinsons with their presets):",
    "  deno task meta-dataset --config config/data/meta-math-parkinsons.toml \\",
    "    --out datasets/meta-math-parkinsons",
    "",
    "Within each split a cell (by default a (dataset, gender) pair) of n rows among N rows in",
    "C cells gets the weight w = N / (C * n), so every cell carries N / C; the weights do not",
    "depend on the order of data.roots. Each row is written floor(w) times, the fraction is",
    "spread evenly over the cell's rows (sorted by file name).",
    "",
    "Writes into --out: images/<dataset>/... (the windows used, copied), metadata.csv and",
    "<split>-metadata.csv (the source columns plus `dataset`), weights.json, weights.svg and",
    "README.md (counts before and after per split and cell).",
    "",
    "Flags:",
    CONFIG_FLAGS_HELP,
  ].join("\n"),
  flags: CONFIG_FLAGS,
  async run(ctx) {
    const config = _resolved(await loadTaskConfig(ctx.values, META_DATASET_SCHEMA));
    if (maybePrintConfig(ctx.values, config, META_DATASET_SCHEMA)) return 0;
    const { roots, names, balance } = config.data;
    if (roots.length === 0) {
      throw new UsageError(
        'data.roots is empty: pass --set \'data.roots=["DIR1", "DIR2"]\' (preprocessed datasets)',
      );
    }
    if (names.length > 0 && names.length !== roots.length) {
      throw new UsageError(
        `data.names must name each of the ${roots.length} roots (or be []): it has ${names.length}`,
      );
    }
    const folders = roots.map((r) => resolve(r));
    for (const folder of folders) await _checkRoot(folder);
    const datasetNames = names.length > 0 ? names : folders.map((f) => basename(f));
    const out = resolve(
      config.run.out || join("datasets", `meta-${[...datasetNames].sort().join("-")}`),
    );
    if (folders.includes(out)) {
      throw new UsageError(`--out ${out} is one of data.roots: choose another folder`);
    }
    const bar = createProgressBar();
    let meta;
    try {
      meta = await writeMetaDataset(
        folders.map((folder, i) => ({ name: datasetNames[i], storage: new FileStorage(folder) })),
        {
          output: new FileStorage(out),
          balance,
          onProgress: bar.listener,
          provenance: Object.fromEntries(
            datasetNames.map((name, i) => [name, folders[i]] as const)
              .sort((a, b) => a[0] < b[0] ? -1 : 1),
          ),
        },
      );
    } finally {
      bar.stop();
    }
    console.log(
      `meta-dataset: ${meta.sources.length} datasets -> ${meta.rows.length} rows ` +
        `(${meta.files.length} images) in ${out}`,
    );
    for (const split of meta.splits) {
      const cells = split.cells.map((c) => `${c.label} ${c.rows}x${c.weight.toFixed(3)}`);
      console.log(
        `  ${split.split}: ${split.rowsBefore} -> ${split.rowsAfter} (${cells.join(", ")})`,
      );
    }
    return 0;
  },
};
