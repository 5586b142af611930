/**
 * The weighted meta-dataset: several preprocessed datasets combined into one whose cells
 * (by default every (dataset, gender) pair) carry the same weight within each split.
 *
 * ## Weights
 * Within one split with N rows in C non-empty cells, a cell of n rows gets the weight
 *
 *     w = N / (C * n)
 *
 * so its weighted total is n * w = N / C: the same for every cell, and the weights of the
 * split's rows still sum to N. The smaller the cell, the larger its weight (inverse
 * frequency), and cells are keyed by their values, never by the position of a dataset in
 * the list, so listing the datasets in another order changes nothing. (The original
 * generator got both wrong: its weights depended on the listing order and favoured the
 * majority.) Rows without a value in a balance column (e.g. no gender) form their own cell.
 *
 * ## Copies
 * A weight becomes whole rows: with w = N / D, D = C * n, write N = q * D + r (0 <= r < D).
 * Every row of the cell is written q times, and the k-th row (0-based, rows sorted by their
 * output file_name) once more when floor((k + 1) * r / D) > floor(k * r / D). That spreads
 * the fraction r / D evenly over the cell and adds floor(r / C) copies in all, so the cell
 * holds n * q + floor(r / C) rows against its exact weighted total n * q + r / C: less than
 * one row short. Integer arithmetic only, so the result is exact and deterministic. A cell
 * with w < 1 (q = 0) is thinned evenly: a row whose test fails is left out.
 *
 * @module
 */
import { FIXED_COLUMNS } from "./preprocess.ts";
import { LABELS } from "./label_registry.ts";

/** The metadata rows of one preprocessed dataset (its metadata.csv) and the name it goes by. */
export interface SourceDataset {
  /** Dataset name: the `dataset` column and the image folder images/<name>/. */
  name: string;
  rows: Record<string, string>[];
}

/** Options for {@linkcode buildMetaDataset}. */
export interface MetaDatasetOptions {
  /** Columns whose value combinations form the cells; "dataset" is the source's name. */
  balance?: string[];
}

/** One cell of one split: its rows before, its weight, its rows after. */
export interface CellWeight {
  /** The cell's value per balance column ("" where a row has none). */
  key: Record<string, string>;
  /** "math / female": the values joined, "(none)" for an empty one. */
  label: string;
  /** Rows before weighting (n). */
  rows: number;
  /** w = N / (C * n), as a number. */
  weight: number;
  /** The exact weight is numerator / denominator = N / (C * n). */
  numerator: number;
  denominator: number;
  /** Rows after weighting: n * floor(w) + floor(r / C). */
  copies: number;
}

/** The weights of one split. */
export interface SplitWeights {
  split: string;
  rowsBefore: number;
  rowsAfter: number;
  cells: CellWeight[];
}

/** What {@linkcode buildMetaDataset} returns; rows are sorted by file_name. */
export interface MetaDataset {
  balance: string[];
  columns: string[];
  rows: Record<string, string>[];
  splits: SplitWeights[];
  /** Per source (sorted by name): rows per split before weighting. */
  sources: { name: string; rows: number; splits: Record<string, number> }[];
  /** Each source file the weighted rows refer to, once, and where it goes in the meta-dataset. */
  files: { dataset: string; from: string; to: string }[];
}

/**
 * Split names in the usual order (train, val, test), then any others sorted.
 *
 * @example
 * ```ts
 * import { orderSplits } from "./meta_dataset.ts";
 * console.assert(orderSplits(["test", "extra", "train"]).join() === "train,test,extra");
 * ```
 */
export function orderSplits(names: Iterable<string>): string[] {
  const usual = ["train", "val", "test"];
  const all = [...new Set(names)];
  return [
    ...usual.filter((s) => all.includes(s)),
    ...all.filter((s) => !usual.includes(s)).sort(_compare),
  ];
}

/**
 * The copies of each row of a cell of `rows` rows with weight numerator / denominator
 * (see the module doc): floor(w) each, plus one for the k-th row when
 * floor((k + 1) r / D) > floor(k r / D).
 *
 * @example
 * ```ts
 * import { spreadCopies } from "./meta_dataset.ts";
 * console.assert(spreadCopies(4, 7, 4).join() === "1,2,2,2"); // w = 1.75
 * console.assert(spreadCopies(5, 2, 5).join() === "0,0,1,0,1"); // w = 0.4
 * ```
 */
export function spreadCopies(rows: number, numerator: number, denominator: number): number[] {
  for (const [name, v] of [["rows", rows], ["numerator", numerator]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(
        `Cannot spread copies as ${name} must be an integer >= 0: current value is ${v}`,
      );
    }
  }
  if (!Number.isSafeInteger(denominator) || denominator < 1) {
    throw new RangeError(
      `Cannot spread copies as the denominator must be an integer >= 1: current value is ${denominator}`,
    );
  }
  const whole = Math.floor(numerator / denominator), r = numerator % denominator;
  return Array.from(
    { length: rows },
    (_, k) =>
      whole + (Math.floor(((k + 1) * r) / denominator) > Math.floor((k * r) / denominator) ? 1 : 0),
  );
}

/**
 * Where a source file goes: the dataset name is inserted after the first folder
 * ("images/x.png" of "math" -> "images/math/x.png"; a bare name goes under "<name>/").
 *
 * @example
 * ```ts
 * import { metaFileName } from "./meta_dataset.ts";
 * console.assert(metaFileName("math", "images/S0_w001.png") === "images/math/S0_w001.png");
 * ```
 */
export function metaFileName(dataset: string, fileName: string): string {
  const slash = fileName.indexOf("/");
  return slash < 0
    ? `${dataset}/${fileName}`
    : `${fileName.slice(0, slash)}/${dataset}/${fileName.slice(slash + 1)}`;
}

/**
 * Combines datasets into one weighted dataset (see the module doc for the formula).
 *
 * @example
 * ```ts
 * import { buildMetaDataset } from "./meta_dataset.ts";
 * const row = (f: string, gender: string) => ({ file_name: f, split: "train", gender });
 * const meta = buildMetaDataset([
 *   { name: "a", rows: [row("images/1.png", "female"), row("images/2.png", "female")] },
 *   { name: "b", rows: [row("images/3.png", "male")] },
 * ]);
 * // N = 3, C = 2: weights 3/4 for a/female and 3/2 for b/male.
 * console.assert(meta.splits[0].cells.map((c) => c.weight).join() === "0.75,1.5");
 * ```
 */
export function buildMetaDataset(
  sources: SourceDataset[],
  options: MetaDatasetOptions = {},
): MetaDataset {
  const balance = options.balance ?? ["gender", "dataset"];
  _checkSources(sources, balance);
  const sorted = [...sources].sort((a, b) => _compare(a.name, b.name));
  const all: Record<string, string>[] = sorted.flatMap((s) =>
    s.rows.map((row) => ({
      ...row,
      dataset: s.name,
      file_name: metaFileName(s.name, row.file_name),
    }))
  );
  const files = sorted.flatMap((s) =>
    [...new Set(s.rows.map((r) => r.file_name))].map((from) => ({
      dataset: s.name,
      from,
      to: metaFileName(s.name, from),
    }))
  );
  const splitNames = orderSplits(all.map((r) => r.split));
  const rows: Record<string, string>[] = [];
  const splits = splitNames.map((split): SplitWeights => {
    const inSplit = all.filter((r) => r.split === split);
    const cells = new Map<string, Record<string, string>[]>();
    for (const row of inSplit) {
      const id = JSON.stringify(balance.map((c) => row[c] ?? ""));
      if (!cells.has(id)) cells.set(id, []);
      cells.get(id)!.push(row);
    }
    const ids = [...cells.keys()].sort(_compare);
    const total = inSplit.length, count = ids.length;
    const weights = ids.map((id): CellWeight => {
      const cellRows = cells.get(id)!.sort((a, b) => _compare(a.file_name, b.file_name));
      const values = JSON.parse(id) as string[];
      const denominator = count * cellRows.length;
      const copies = spreadCopies(cellRows.length, total, denominator);
      cellRows.forEach((row, k) => {
        for (let c = 0; c < copies[k]; c++) rows.push({ ...row });
      });
      return {
        key: Object.fromEntries(balance.map((c, i) => [c, values[i]])),
        label: values.map((v) => v === "" ? "(none)" : v).join(" / "),
        rows: cellRows.length,
        weight: total / denominator,
        numerator: total,
        denominator,
        copies: copies.reduce((a, b) => a + b, 0),
      };
    });
    const after = weights.reduce((a, c) => a + c.copies, 0);
    return { split, rowsBefore: total, rowsAfter: after, cells: weights };
  });
  rows.sort((a, b) => _compare(a.file_name, b.file_name));
  const used = new Set(rows.map((r) => r.file_name));
  return {
    balance,
    columns: _columns(sorted),
    rows,
    splits,
    sources: sorted.map((s) => ({
      name: s.name,
      rows: s.rows.length,
      splits: Object.fromEntries(
        splitNames.map((split) => [split, s.rows.filter((r) => r.split === split).length]),
      ),
    })),
    files: files.filter((f) => used.has(f.to)).sort((a, b) => _compare(a.to, b.to)),
  };
}

/** file_name, split, subject, recording, start_s, dataset, labels, other columns, caption. */
function _columns(sources: SourceDataset[]): string[] {
  const present = new Set(sources.flatMap((s) => s.rows.flatMap((r) => Object.keys(r))));
  const fixed: string[] = [...FIXED_COLUMNS, "dataset"];
  const labels = Object.keys(LABELS).filter((c) => present.has(c));
  const others = [...present].filter((c) =>
    !fixed.includes(c) && !labels.includes(c) && c !== "caption"
  )
    .sort(_compare);
  return [...fixed, ...labels, ...others, ...(present.has("caption") ? ["caption"] : [])];
}

function _checkSources(sources: SourceDataset[], balance: string[]): void {
  if (sources.length === 0) {
    throw new RangeError(
      "Cannot build a meta-dataset as it needs at least one source dataset: current value is 0",
    );
  }
  if (balance.length === 0 || new Set(balance).size !== balance.length) {
    throw new RangeError(
      `Cannot build a meta-dataset as balance must name distinct columns: current value is [${
        balance.join(", ")
      }]`,
    );
  }
  const names = sources.map((s) => s.name);
  for (const name of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new RangeError(
        `Cannot use dataset name "${name}" as it must be letters, digits, ".", "_" or "-" (a folder name): current value is "${name}"`,
      );
    }
    if (names.indexOf(name) !== names.lastIndexOf(name)) {
      throw new RangeError(
        `Cannot combine datasets as their names must differ: current value is ${names.join(", ")}`,
      );
    }
  }
  for (const column of balance.filter((c) => c !== "dataset")) {
    if (!sources.some((s) => s.rows.some((r) => (r[column] ?? "") !== ""))) {
      throw new RangeError(
        `Cannot balance by "${column}" as no source dataset has values in that column: current value is ${
          names.join(", ")
        }`,
      );
    }
  }
  for (const source of sources) {
    const bad = source.rows.find((r) => !r.file_name || !r.split);
    if (bad !== undefined) {
      throw new RangeError(
        `Cannot read dataset "${source.name}" as every row needs file_name and split: current value is ${
          JSON.stringify(bad)
        }`,
      );
    }
  }
}

/** Code-point order: the same on every machine and locale. */
function _compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
