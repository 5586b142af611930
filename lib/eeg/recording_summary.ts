/**
 * A plain, JSON-ready summary of a recording's header, for `deno task info` and the web
 * app's file preview.
 *
 * @module
 */
import type { EdfHeader } from "./edf/edf_header.ts";
import type { EdfAnnotation } from "./edf/edf_timeline.ts";

/** One signal of a summary. */
export interface SignalSummary {
  label: string;
  sampleRateHz: number;
  unit: string;
  physicalMin: number;
  physicalMax: number;
  prefilter: string;
  isAnnotation: boolean;
}

/** What `info` prints for one file. */
export interface RecordingSummary {
  file: string;
  fileType: string;
  startDate: string | null;
  durationSeconds: number;
  recordCount: number;
  recordDurationSeconds: number;
  patientId: string;
  recordingId: string;
  signals: SignalSummary[];
  annotations: EdfAnnotation[];
  warnings: string[];
}

/**
 * Builds the summary of an EDF/BDF header and its annotations.
 *
 * @example
 * ```ts ignore
 * const reader = await EdfReader.open(bytesSource(bytes));
 * const summary = summarizeEdf("x.edf", reader.header, await reader.readAnnotations(), reader.warnings);
 * ```
 */
export function summarizeEdf(
  file: string,
  header: EdfHeader,
  annotations: EdfAnnotation[],
  warnings: readonly string[],
): RecordingSummary {
  return {
    file,
    fileType: header.fileType,
    startDate: header.startDate?.toISOString() ?? null,
    durationSeconds: header.durationSeconds,
    recordCount: header.recordCount,
    recordDurationSeconds: header.recordDurationSeconds,
    patientId: header.patientId,
    recordingId: header.recordingId,
    signals: header.signals.map((s) => ({
      label: s.label,
      sampleRateHz: s.sampleRateHz,
      unit: s.physicalDimension,
      physicalMin: s.physicalMin,
      physicalMax: s.physicalMax,
      prefilter: s.prefilter,
      isAnnotation: s.isAnnotation,
    })),
    annotations,
    warnings: [...warnings],
  };
}
