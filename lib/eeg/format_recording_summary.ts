/**
 * The human-readable text of a {@linkcode RecordingSummary}.
 *
 * @module
 */
import type { RecordingSummary } from "./recording_summary.ts";

function _seconds(s: number): string {
  const m = Math.floor(s / 60);
  const rest = s - 60 * m;
  return m > 0 ? `${s} s (${m} min ${Number(rest.toFixed(3))} s)` : `${s} s`;
}

/**
 * Formats a summary as an aligned text block.
 *
 * @example
 * ```ts ignore
 * console.log(formatRecordingSummary(summary));
 * ```
 */
export function formatRecordingSummary(summary: RecordingSummary): string {
  const data = summary.signals.filter((s) => !s.isAnnotation);
  const labelWidth = Math.max(5, ...data.map((s) => s.label.length));
  const lines = [
    `${summary.file}`,
    `  type       ${summary.fileType}`,
    `  start      ${summary.startDate ?? "unknown (unreadable date)"}`,
    `  duration   ${_seconds(summary.durationSeconds)} = ${summary.recordCount} records x ` +
    `${summary.recordDurationSeconds} s`,
    `  patient    ${summary.patientId || "-"}`,
    `  recording  ${summary.recordingId || "-"}`,
    `  signals    ${data.length}` +
    (data.length < summary.signals.length ? " (+ EDF Annotations)" : ""),
    `    ${"label".padEnd(labelWidth)}  ${"rate Hz".padStart(9)}  ${"unit".padEnd(5)}  ` +
    `physical range           prefilter`,
  ];
  for (const s of data) {
    lines.push(
      `    ${s.label.padEnd(labelWidth)}  ${String(s.sampleRateHz).padStart(9)}  ` +
        `${(s.unit || "-").padEnd(5)}  ${`${s.physicalMin} .. ${s.physicalMax}`.padEnd(23)}  ` +
        `${s.prefilter || "-"}`,
    );
  }
  lines.push(`  annotations ${summary.annotations.length}`);
  const shown = summary.annotations.slice(0, 20);
  for (const a of shown) {
    lines.push(
      `    ${a.onset.toFixed(3).padStart(10)} s  ` +
        `${
          a.duration === null || a.duration === undefined ? "" : `(${a.duration} s) `
        }${a.description}`,
    );
  }
  if (summary.annotations.length > shown.length) {
    lines.push(`    ... ${summary.annotations.length - shown.length} more (use --json)`);
  }
  for (const w of summary.warnings) lines.push(`  warning: ${w}`);
  return lines.join("\n");
}
