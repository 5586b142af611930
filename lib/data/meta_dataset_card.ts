/**
 * The README dataset card of a meta-dataset: sources, the weighting rule, and rows before
 * and after weighting per split and cell.
 *
 * @module
 */
import type { MetaDataset } from "./meta_dataset.ts";

/** The formula and copy rule in words, for the card and weights.json. */
export const WEIGHTING_RULE = {
  formula: "w = N / (C * n): N rows in the split, C non-empty cells in the split, " +
    "n rows in the cell; every cell's weighted total n * w is N / C",
  copies: "with N = q * C * n + r: every row q times, and the k-th row of the cell " +
    "(sorted by file_name, 0-based) once more when floor((k + 1) r / (C n)) > floor(k r / (C n))",
} as const;

/**
 * Renders the card as Markdown.
 *
 * @example
 * ```ts
 * import { buildMetaDataset } from "./meta_dataset.ts";
 * import { metaDatasetCard } from "./meta_dataset_card.ts";
 * const meta = buildMetaDataset([
 *   { name: "a", rows: [{ file_name: "images/1.png", split: "train", gender: "female" }] },
 * ]);
 * console.assert(metaDatasetCard(meta, {}).includes("| a / female | 1 | 1 | 1 | 1 |"));
 * ```
 */
export function metaDatasetCard(meta: MetaDataset, provenance: Record<string, string>): string {
  const names = meta.sources.map((s) => s.name);
  const splitNames = meta.splits.map((s) => s.split);
  const lines = [
    `# Weighted meta-dataset: ${names.join(" + ")}`,
    "",
    "Made by `deno task meta-dataset`: the source datasets' windows in one dataset whose",
    `cells (${meta.balance.join(" x ")}) carry equal weight within each split.`,
    "",
    "## Sources",
    "",
    `| dataset | windows | ${splitNames.join(" | ")} |`,
    `| --- | --- |${splitNames.map(() => " --- |").join("")}`,
    ...meta.sources.map((s) =>
      `| ${s.name} | ${s.rows} | ${splitNames.map((n) => s.splits[n] ?? 0).join(" | ")} |`
    ),
    "",
    "## Weights",
    "",
    `- Weight of a cell: ${WEIGHTING_RULE.formula}. The smallest cell gets the largest ` +
    "weight, and the weights do not depend on the order the datasets were listed in.",
    `- Rows: ${WEIGHTING_RULE.copies}. A cell ends with n floor(w) + floor(r / C) rows, ` +
    "less than one row short of N / C; a cell with w < 1 is thinned evenly.",
    '- Rows without a value in a balance column form their own cell, shown as "(none)".',
  ];
  for (const split of meta.splits) {
    lines.push(
      "",
      `### ${split.split}: ${split.rowsBefore} rows before, ${split.rowsAfter} after`,
      "",
      "| cell | rows before | weight | exact weight | rows after |",
      "| --- | --- | --- | --- | --- |",
      ...split.cells.map((c) =>
        `| ${c.label} | ${c.rows} | ${Number(c.weight.toFixed(4))} | ` +
        `${c.numerator}/${c.denominator} | ${c.copies} |`
      ),
    );
  }
  lines.push(
    "",
    "## Files",
    "",
    "- `images/<dataset>/...`: the windows the weighted rows use, copied from the source",
    "  folders with their layout (images/x.png of dataset d is images/d/x.png), so this folder",
    "  is self-contained: it can be moved, zipped or opened in the browser without the sources.",
    "- `metadata.csv` and `<split>-metadata.csv`: the source columns plus `dataset`; a row",
    "  written k times is a window with k copies (weight 0 rows are left out).",
    `  Columns: ${meta.columns.join(", ")}.`,
    "- `weights.json`: the rule and every cell's counts and weight; `weights.svg`: a plot.",
  );
  const facts = Object.entries(provenance);
  if (facts.length > 0) {
    lines.push("", "## Provenance", "");
    for (const [k, v] of facts) lines.push(`- ${k}: ${v}`);
  }
  return lines.join("\n") + "\n";
}
