/**
 * A plot of the meta-dataset's cell weights as a hand-written SVG bar chart (no plotting
 * library): one block per split, one horizontal bar per cell, a dashed line at weight 1.
 *
 * @module
 */
import type { SplitWeights } from "./meta_dataset.ts";

/** Options for {@linkcode weightsPlot}. */
export interface WeightsPlotOptions {
  /** Title above the chart. Default "Meta-dataset cell weights". */
  title?: string;
  /** Width of the bar area in pixels. Default 360. */
  barWidth?: number;
}

const _ROW = 22, _LABEL = 230, _HEAD = 26, _TOP = 40, _RIGHT = 150;
const _PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"];

/** Escapes text for SVG content and attribute values. */
function _xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function _num(x: number): string {
  return Number(x.toFixed(2)).toString();
}

/**
 * Renders the weights as an SVG document. Bar length is proportional to the weight; each
 * bar is labelled with w and the rows before -> after.
 *
 * @example
 * ```ts
 * import { weightsPlot } from "./weights_plot.ts";
 * const svg = weightsPlot([{
 *   split: "train", rowsBefore: 3, rowsAfter: 3,
 *   cells: [{ key: { gender: "male" }, label: "male", rows: 1, weight: 1.5, numerator: 3, denominator: 2, copies: 1 }],
 * }]);
 * console.assert(svg.startsWith("<svg") && svg.includes("w = 1.5"));
 * ```
 */
export function weightsPlot(splits: SplitWeights[], options: WeightsPlotOptions = {}): string {
  const barWidth = options.barWidth ?? 360;
  const maxWeight = Math.max(1, ...splits.flatMap((s) => s.cells.map((c) => c.weight)));
  const scale = barWidth / maxWeight;
  const width = _LABEL + barWidth + _RIGHT;
  const height = _TOP + splits.reduce((h, s) => h + _HEAD + s.cells.length * _ROW, 0) + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${
      _xml(options.title ?? "Meta-dataset cell weights")
    }</text>`,
  ];
  // The reference line first, so that bars and labels are drawn over it.
  const one = _num(_LABEL + scale), bottom = height - 30;
  parts.push(
    `<line x1="${one}" y1="${_TOP}" x2="${one}" y2="${bottom}" stroke="#999" stroke-dasharray="4 3"/>`,
    `<text x="${one}" y="${bottom + 16}" text-anchor="middle">w = 1</text>`,
  );
  // Colour by the cell's first balance value, so one dataset (or gender) keeps its colour.
  const firstValues = [
    ...new Set(splits.flatMap((s) => s.cells.map((c) => Object.values(c.key)[0] ?? ""))),
  ].sort();
  let y = _TOP;
  for (const split of splits) {
    parts.push(
      `<text x="10" y="${y + 17}" font-weight="bold">${_xml(split.split)}: ${split.rowsBefore}` +
        ` rows -&gt; ${split.rowsAfter}</text>`,
    );
    y += _HEAD;
    for (const cell of split.cells) {
      const colour = _PALETTE[firstValues.indexOf(Object.values(cell.key)[0] ?? "") % 6];
      const length = Math.max(1, cell.weight * scale);
      parts.push(
        `<text x="${_LABEL - 8}" y="${y + 15}" text-anchor="end">${_xml(cell.label)}</text>`,
        `<rect x="${_LABEL}" y="${y + 4}" width="${_num(length)}" height="${_ROW - 8}" ` +
          `fill="${colour}"><title>${_xml(cell.label)}: w = ${cell.numerator}/${cell.denominator}` +
          `</title></rect>`,
        `<text x="${_num(_LABEL + length + 6)}" y="${y + 15}">w = ${_num(cell.weight)} ` +
          `(${cell.rows} -&gt; ${cell.copies})</text>`,
      );
      y += _ROW;
    }
  }
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
