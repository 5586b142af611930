/**
 * The README card of a time-series dataset: window layout, normalisation, counts.
 *
 * @module
 */
import type { SpectrogramParams } from "./spectrogram_params.ts";
import type { TimeseriesSummary } from "./timeseries_dataset.ts";

/** Input of {@linkcode timeseriesCard}. */
export interface TimeseriesCardInput {
  datasetName: string;
  params: SpectrogramParams;
  labelColumns: string[];
  summary: TimeseriesSummary;
  provenance: Record<string, string>;
}

/**
 * Renders the card as Markdown.
 *
 * @example
 * ```ts ignore
 * await output.writeText("README.md", timeseriesCard(input));
 * ```
 */
export function timeseriesCard(input: TimeseriesCardInput): string {
  const { params, summary } = input;
  const norm = summary.normalization;
  const [channels, samples] = norm.layout.shape;
  const lines = [
    `# Time-series dataset: ${input.datasetName}`,
    "",
    "The spectrogram recipe's windows (RECIPES.md steps 1-4) as z-scored float32 arrays for",
    "the 1-D classifier, with the same metadata columns and subject splits.",
    "",
    "| parameter | value |",
    "| --- | --- |",
    `| channels (row order) | ${params.montage.join(" ")} |`,
    `| missing channels | ${params.missingChannels} |`,
    `| sample rate | ${params.sampleRateHz} Hz |`,
    `| window / shift | ${params.windowSamples} / ${params.shiftSamples} samples |`,
    `| array | [${norm.layout.shape.join(", ")}] float32, little-endian, channel-major |`,
    `| normalisation | per channel z = (x - mean) / std, x in volts; from the ${norm.split} ` +
    `split only (${norm.windows} windows) |`,
    "",
    "## Counts",
    "",
    `${summary.recordings} recordings, ${summary.windows} windows.`,
    "",
    "| split | subjects | windows |",
    "| --- | --- | --- |",
    ...Object.entries(summary.splitCounts).map(([s, c]) =>
      `| ${s} | ${c.subjects} | ${c.windows} |`
    ),
    "",
    "## Files",
    "",
    `- \`windows/<recording>_w<NNN>.f32\`: one window, ${channels} x ${samples} float32 values, ` +
    `value [c, t] at index c * ${samples} + t, no header`,
    "- `normalization.json`: channels, mean and std (volts) per channel; recover volts as",
    "  x = z * std + mean",
    "- `metadata.csv` and `<split>-metadata.csv`: file_name, split, subject, recording, start_s, " +
    `${input.labelColumns.join(", ")}, caption`,
  ];
  if (norm.constantChannels.length > 0) {
    lines.push(
      "",
      `Constant channels in the ${norm.split} split (std 0, stored as x - mean with std 1): ` +
        norm.constantChannels.join(", "),
    );
  }
  for (
    const [title, items] of [
      [
        "Recordings that failed (skipped)",
        summary.failed.map((f) => `${f.recording}: ${f.message}`),
      ],
      ["Warnings", [...new Set(summary.warnings)]],
      ["Provenance", Object.entries(input.provenance).map(([k, v]) => `${k}: ${v}`)],
    ] as const
  ) {
    if (items.length > 0) lines.push("", `## ${title}`, "", ...items.map((i) => `- ${i}`));
  }
  return lines.join("\n") + "\n";
}
