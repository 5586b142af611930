/**
 * What every dataset writer shares: assigning rows to subject-wise splits (RECIPES.md
 * step 11) and writing metadata.csv plus one <split>-metadata.csv per split with the
 * columns of ARCHITECTURE.md ("Datasets on disk").
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import type { Rng } from "../runtime/rng.ts";
import { formatTable } from "./csv.ts";
import { LABELS } from "./label_registry.ts";
import { splitSubjects } from "./splits.ts";

/** Metadata columns before the labels. */
export const FIXED_COLUMNS = ["file_name", "split", "subject", "recording", "start_s"] as const;

/** One metadata row: the fixed columns, label values and the caption. */
export type MetadataRow = Record<string, string | number>;

/** Subjects and windows per split. */
export type SplitCounts = Record<string, { subjects: number; windows: number }>;

/** How rows are split. */
export interface SplitAssignmentOptions {
  rng: Rng;
  splitNames?: string[];
  splitFractions?: number[];
  /** A label to stratify the subject split by (e.g. "gender"). */
  stratifyBy?: string;
}

/**
 * Sorts rows by file name and sets each row's `split` from its subject; returns the split
 * names. The draw uses `rng.fork("splits")`, so every writer splits the same subjects alike.
 *
 * @example
 * ```ts
 * import { Rng } from "../runtime/rng.ts";
 * import { assignSplits } from "./split_metadata.ts";
 * const rows = [{ file_name: "b", subject: "S1" }, { file_name: "a", subject: "S1" }];
 * assignSplits(rows, { rng: new Rng(0), splitNames: ["all"], splitFractions: [1] });
 * console.assert(rows[0].file_name === "a" && rows[1].split === "all");
 * ```
 */
export function assignSplits(rows: MetadataRow[], options: SplitAssignmentOptions): string[] {
  const subjects = [...new Set(rows.map((r) => String(r.subject)))];
  const by = options.stratifyBy;
  const strata = by === undefined ? undefined : new Map(
    rows.filter((r) => r[by] !== undefined).map((r) => [String(r.subject), String(r[by])]),
  );
  const names = options.splitNames ?? ["train", "val", "test"];
  const split = splitSubjects(subjects, options.rng.fork("splits"), {
    names,
    fractions: options.splitFractions,
    strata,
  });
  rows.sort((a, b) => String(a.file_name).localeCompare(String(b.file_name)));
  for (const row of rows) row.split = split.get(String(row.subject))!;
  return names;
}

/**
 * Writes metadata.csv and <split>-metadata.csv (label columns in registry order, those some
 * row has) and returns the label columns and the counts per split.
 */
export async function writeSplitMetadata(
  output: Storage,
  rows: MetadataRow[],
  splitNames: string[],
): Promise<{ labelColumns: string[]; splitCounts: SplitCounts }> {
  const labelColumns = Object.keys(LABELS).filter((name) => rows.some((r) => name in r));
  const columns = [...FIXED_COLUMNS, ...labelColumns, "caption"];
  await output.writeText("metadata.csv", formatTable(columns, rows));
  const splitCounts: SplitCounts = {};
  for (const name of splitNames) {
    const splitRows = rows.filter((r) => r.split === name);
    await output.writeText(`${name}-metadata.csv`, formatTable(columns, splitRows));
    splitCounts[name] = {
      subjects: new Set(splitRows.map((r) => r.subject)).size,
      windows: splitRows.length,
    };
  }
  return { labelColumns, splitCounts };
}
