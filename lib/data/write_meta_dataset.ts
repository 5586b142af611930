/**
 * Writes a weighted meta-dataset through a Storage: reads each source's metadata.csv,
 * weights the rows ({@linkcode buildMetaDataset}), copies the windows the rows use into
 * images/<dataset>/..., and writes metadata.csv, <split>-metadata.csv, weights.json,
 * weights.svg and a README card.
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import type { ProgressListener } from "../train/progress.ts";
import { EtaEstimator } from "../train/progress.ts";
import { formatTable, parseTable } from "./csv.ts";
import {
  buildMetaDataset,
  type MetaDataset,
  type MetaDatasetOptions,
  type SourceDataset,
} from "./meta_dataset.ts";
import { metaDatasetCard, WEIGHTING_RULE } from "./meta_dataset_card.ts";
import { weightsPlot } from "./weights_plot.ts";

/** A preprocessed dataset folder and the name it goes by in the meta-dataset. */
export interface MetaDatasetSource {
  name: string;
  storage: Storage;
}

/** Options for {@linkcode writeMetaDataset}. */
export interface WriteMetaDatasetOptions extends MetaDatasetOptions {
  output: Storage;
  /** How many files to copy at once. Default 8. */
  concurrency?: number;
  onProgress?: ProgressListener;
  /** Extra facts for the card (source folders, command line). */
  provenance?: Record<string, string>;
}

/**
 * Reads a preprocessed dataset's metadata.csv; a folder without one is a RangeError naming
 * the folder.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from "../io/memory_storage.ts";
 * import { readSourceDataset } from "./write_meta_dataset.ts";
 * const storage = new MemoryStorage();
 * await storage.writeText("metadata.csv", "file_name,split\nimages/a.png,train\n");
 * console.assert((await readSourceDataset("a", storage)).rows.length === 1);
 * ```
 */
export async function readSourceDataset(name: string, storage: Storage): Promise<SourceDataset> {
  if (!(await storage.exists("metadata.csv"))) {
    throw new RangeError(
      `Cannot read dataset "${name}" in ${storage.location} as it must hold a metadata.csv ` +
        "(a folder made by deno task preprocess): current value is a folder without one",
    );
  }
  const source = `${storage.location}/metadata.csv`;
  const table = parseTable(await storage.readText("metadata.csv"), { source });
  const missing = ["file_name", "split"].filter((c) => !table.columns.includes(c));
  if (missing.length > 0) {
    throw new RangeError(
      `Cannot read ${source} as it must have the columns file_name and split: current value ` +
        `is ${table.columns.join(", ")}`,
    );
  }
  return { name, rows: table.rows };
}

/**
 * Builds and writes the meta-dataset; resolves to what was written.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from "../io/memory_storage.ts";
 * import { writeMetaDataset } from "./write_meta_dataset.ts";
 * const a = new MemoryStorage(), output = new MemoryStorage();
 * await a.writeText("metadata.csv", "file_name,split,gender\nimages/x.png,train,male\n");
 * await a.writeBytes("images/x.png", new Uint8Array([1]));
 * await writeMetaDataset([{ name: "a", storage: a }], { output });
 * console.assert(await output.exists("images/a/x.png"));
 * ```
 */
export async function writeMetaDataset(
  sources: MetaDatasetSource[],
  options: WriteMetaDatasetOptions,
): Promise<MetaDataset> {
  const { output } = options;
  const read = [];
  for (const s of sources) read.push(await readSourceDataset(s.name, s.storage));
  const meta = buildMetaDataset(read, { balance: options.balance });
  const storageOf = new Map(sources.map((s) => [s.name, s.storage]));

  const total = meta.files.length;
  const eta = new EtaEstimator(total);
  let done = 0;
  const queue = [...meta.files];
  const copiers = Array.from({ length: Math.max(1, options.concurrency ?? 8) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const from = storageOf.get(file.dataset)!;
      if (!(await from.exists(file.from))) {
        throw new RangeError(
          `Cannot copy ${from.location}/${file.from} as metadata.csv lists it: current value ` +
            "is a missing file",
        );
      }
      await output.writeBytes(file.to, await from.readBytes(file.from));
      done++;
      eta.update(done);
      options.onProgress?.({
        job: "meta-dataset",
        done,
        total,
        message: file.to,
        etaSeconds: eta.etaSeconds(),
      });
    }
  });
  await Promise.all(copiers);

  await output.writeText("metadata.csv", formatTable(meta.columns, meta.rows));
  for (const { split } of meta.splits) {
    const rows = meta.rows.filter((r) => r.split === split);
    await output.writeText(`${split}-metadata.csv`, formatTable(meta.columns, rows));
  }
  const weights = {
    balance: meta.balance,
    rule: WEIGHTING_RULE,
    sources: meta.sources,
    splits: meta.splits,
  };
  await output.writeText("weights.json", JSON.stringify(weights, null, 2) + "\n");
  await output.writeText("weights.svg", weightsPlot(meta.splits));
  await output.writeText("README.md", metaDatasetCard(meta, options.provenance ?? {}));
  return meta;
}
