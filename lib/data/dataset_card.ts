/**
 * The README dataset card written next to a preprocessed dataset: parameters, counts per
 * split and label, failures, and provenance.
 *
 * @module
 */
import type { PreprocessSummary } from "./preprocess.ts";
import type { SpectrogramParams } from "./spectrogram_params.ts";

/** Input of {@linkcode datasetCard}. */
export interface DatasetCardInput {
  datasetName: string;
  params: SpectrogramParams;
  rows: Record<string, string | number>[];
  labelColumns: string[];
  summary: PreprocessSummary;
  provenance: Record<string, string>;
}

/**
 * Renders the card as Markdown.
 *
 * @example
 * ```ts ignore
 * await output.writeText("README.md", datasetCard(input));
 * ```
 */
export function datasetCard(input: DatasetCardInput): string {
  const { params, rows, summary } = input;
  const splits = Object.keys(summary.splitCounts);
  const lines = [
    `# Spectrogram dataset: ${input.datasetName}`,
    "",
    "Made by `deno task preprocess` following the original project's recipe",
    "(log-frequency STFT images; see RECIPES.md in the project's shared notes).",
    "",
    "## Parameters",
    "",
    "| parameter | value |",
    "| --- | --- |",
    `| channels (in image order) | ${params.montage.join(" ")} |`,
    `| missing channels | ${params.missingChannels} |`,
    `| sample rate | ${params.sampleRateHz} Hz |`,
    `| window / shift | ${params.windowSamples} / ${params.shiftSamples} samples |`,
    `| log-STFT hop | ${params.hop} |`,
    `| dB range | ${params.dbRange[0]} .. ${params.dbRange[1]} (volts) |`,
    `| image variant | ${params.variant} |`,
    "",
    "## Counts",
    "",
    `${summary.recordings} recordings, ${summary.windows} windows` +
    (summary.skipped > 0 ? ` (${summary.skipped} recordings reused from an earlier run)` : "") +
    ".",
    "",
    `| split | subjects | windows |`,
    "| --- | --- | --- |",
    ...splits.map((s) =>
      `| ${s} | ${summary.splitCounts[s].subjects} | ${summary.splitCounts[s].windows} |`
    ),
    "",
  ];
  for (const label of input.labelColumns) {
    const values = [
      ...new Set(rows.map((r) => r[label]).filter((v) => v !== undefined && v !== "")),
    ];
    if (values.every((v) => typeof v === "number")) {
      const nums = values as number[];
      lines.push(`- **${label}** (number): ${Math.min(...nums)} to ${Math.max(...nums)}`);
      continue;
    }
    const counts = splits.map((s) =>
      `${s}: ` +
      values.sort().map((v) => `${v} ${rows.filter((r) => r.split === s && r[label] === v).length}`)
        .join(", ")
    );
    lines.push(`- **${label}** (windows per class) — ${counts.join("; ")}`);
  }
  lines.push("", "## Files", "");
  lines.push("- `images/*.png`: one 256x256 spectrogram per window");
  lines.push(
    "- `metadata.csv` and `<split>-metadata.csv`: file_name, split, subject, recording, start_s, " +
      `${input.labelColumns.join(", ")}, caption`,
  );
  lines.push("- `preprocess.json`: parameters and this summary as JSON");
  if (summary.failed.length > 0) {
    lines.push("", "## Recordings that failed (skipped)", "");
    for (const f of summary.failed) lines.push(`- ${f.recording}: ${f.message}`);
  }
  if (summary.warnings.length > 0) {
    lines.push("", "## Warnings", "");
    for (const w of [...new Set(summary.warnings)]) lines.push(`- ${w}`);
  }
  const provenance = Object.entries(input.provenance);
  if (provenance.length > 0) {
    lines.push("", "## Provenance", "");
    for (const [k, v] of provenance) lines.push(`- ${k}: ${v}`);
  }
  return lines.join("\n") + "\n";
}
