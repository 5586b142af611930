/**
 * Writes EDF+ files (16-bit, with an "EDF Annotations" signal): the project's own test
 * fixtures and synthetic recordings.
 *
 * @module
 */
import {
  _formatNumber8,
  _patientText,
  _putField,
  _recordingText,
  _talsPerRecord,
} from "./_edf_write_fields.ts";
import { type _SignalLayout, _signalLayout } from "./_quantise_signal.ts";

/** One signal to write. */
export interface EdfWriteSignal {
  /** At most 16 ASCII characters, e.g. "EEG Fp1". */
  label: string;
  /** sampleRateHz x recordDurationSeconds must be a whole number of samples per record. */
  sampleRateHz: number;
  /** Physical values; the length must be a whole number of records. */
  data: ArrayLike<number>;
  /** Physical dimension; default "uV" ("µV" and "μV" are written as the ASCII "uV"). */
  unit?: string;
  /** Default: the data's minimum, rounded down to fit 8 characters. */
  physicalMin?: number;
  /** Default: the data's maximum, rounded up to fit 8 characters. */
  physicalMax?: number;
  /** Default -32768. */
  digitalMin?: number;
  /** Default 32767. */
  digitalMax?: number;
  /** Default "". */
  prefilter?: string;
  /** Default "". */
  transducer?: string;
}

/** An annotation to write; onset in seconds from the first record's start. */
export interface EdfWriteAnnotation {
  onset: number;
  /** Seconds; omitted or 0 writes no duration. */
  duration?: number;
  description: string;
}

/** Everything {@linkcode writeEdf} writes. */
export interface WriteEdfOptions {
  signals: EdfWriteSignal[];
  annotations?: EdfWriteAnnotation[];
  /** Seconds per data record, default 1; may be non-integer (e.g. 9.59375) if it fits 8 chars. */
  recordDurationSeconds?: number;
  /** Start of the recording (UTC); default 1985-01-01T00:00:00Z. Milliseconds go to the TALs. */
  startDate?: Date;
  /** EDF+ patient subfields ("X" for unknown ones), or the raw 80-character field. */
  patient?: string | {
    code?: string;
    sex?: "F" | "M";
    birthdate?: Date;
    name?: string;
    additional?: string;
  };
  /** EDF+ recording subfields ("X" for unknown ones), or the raw 80-character field. */
  recording?: string | {
    adminCode?: string;
    technician?: string;
    equipment?: string;
    additional?: string;
  };
  /**
   * Onset of each record in seconds from the first (so the first is 0). Given, the file is
   * EDF+D and records may have gaps between them; omitted, it is EDF+C.
   */
  recordOnsetsSeconds?: number[];
}

/**
 * An EDF+ file as bytes. Samples are quantised as round((x - physMin) / gain + digMin) with
 * gain = (physMax - physMin) / (digMax - digMin), so reading back gives each value within
 * half a quantisation step; samples outside the physical range throw a RangeError.
 *
 * @example
 * ```ts
 * import { writeEdf } from "./write_edf.ts";
 * const bytes = writeEdf({
 *   signals: [{ label: "EEG Cz", sampleRateHz: 256, data: new Float32Array(512), physicalMin: -100, physicalMax: 100 }],
 *   annotations: [{ onset: 0.5, description: "eyes closed" }],
 * });
 * console.assert(new TextDecoder().decode(bytes.subarray(192, 197)) === "EDF+C");
 * ```
 */
export function writeEdf(options: WriteEdfOptions): Uint8Array {
  const {
    signals,
    annotations = [],
    recordDurationSeconds: duration = 1,
    startDate = new Date(Date.UTC(1985, 0, 1)),
  } = options;
  if (!Array.isArray(signals)) {
    throw new TypeError(
      `Cannot write EDF as signals must be an array: current value is ${String(signals)}`,
    );
  }
  const durationText = _formatNumber8(duration, "exact", "duration of a data record");
  if (!(duration > 0 || (duration === 0 && signals.length === 0))) {
    throw new RangeError(
      `Cannot write EDF as recordDurationSeconds must be positive: current value is ${duration}`,
    );
  }
  if (!(startDate instanceof Date) || Number.isNaN(startDate.getTime())) {
    throw new TypeError(
      `Cannot write EDF as startDate must be a valid Date: current value is ${String(startDate)}`,
    );
  }
  const layouts = signals.map((signal) => _signalLayout(signal, duration));
  const recordCount = _recordCount(layouts, options.recordOnsetsSeconds);
  const onsets = options.recordOnsetsSeconds ??
    Array.from({ length: recordCount }, (_, r) => r * duration);
  _checkOnsets(onsets, duration);
  const subSecond = startDate.getUTCMilliseconds() / 1000;
  const tals = _talsPerRecord(annotations, onsets, duration, subSecond);
  const annotationSamples = Math.max(1, ...tals.map((t) => Math.ceil(t.length / 2)));
  const signalCount = signals.length + 1;
  const headerBytes = 256 * (signalCount + 1);
  const sampleCounts = [...layouts.map((l) => l.samplesPerRecord), annotationSamples];
  const recordBytes = 2 * sampleCounts.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(headerBytes + recordCount * recordBytes);

  _putField(bytes, 0, 8, "0", "version");
  _putField(bytes, 8, 80, _patientText(options.patient), "patient identification");
  _putField(
    bytes,
    88,
    80,
    _recordingText(options.recording, startDate),
    "recording identification",
  );
  const two = (n: number) => String(n).padStart(2, "0");
  const d = startDate;
  _putField(
    bytes,
    168,
    8,
    `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${two(d.getUTCFullYear() % 100)}`,
    "startdate",
  );
  _putField(
    bytes,
    176,
    8,
    `${two(d.getUTCHours())}.${two(d.getUTCMinutes())}.${two(d.getUTCSeconds())}`,
    "starttime",
  );
  _putField(bytes, 184, 8, String(headerBytes), "number of bytes in header record");
  _putField(bytes, 192, 44, options.recordOnsetsSeconds ? "EDF+D" : "EDF+C", "reserved");
  _putField(bytes, 236, 8, String(recordCount), "number of data records");
  _putField(bytes, 244, 8, durationText, "duration of a data record");
  _putField(bytes, 252, 4, String(signalCount), "number of signals");
  const columns: string[][] = [
    ...layouts.map((
      l,
    ) => [
      l.label,
      l.transducer,
      l.unit,
      l.physicalMin,
      l.physicalMax,
      l.digitalMin,
      l.digitalMax,
      l.prefilter,
    ]),
    ["EDF Annotations", "", "", "-1", "1", "-32768", "32767", ""],
  ];
  const widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];
  const names = [
    "label",
    "transducer type",
    "physical dimension",
    "physical minimum",
    "physical maximum",
    "digital minimum",
    "digital maximum",
    "prefiltering",
    "number of samples in each data record",
    "reserved",
  ];
  let offset = 256;
  for (let k = 0; k < widths.length; k++) {
    for (let i = 0; i < signalCount; i++, offset += widths[k]) {
      const text = k < 8 ? columns[i][k] : k === 8 ? String(sampleCounts[i]) : "";
      _putField(bytes, offset, widths[k], text, names[k]);
    }
  }

  const view = new DataView(bytes.buffer);
  for (let r = 0; r < recordCount; r++) {
    let at = headerBytes + r * recordBytes;
    for (const layout of layouts) {
      const { samplesPerRecord: spr, digital } = layout;
      for (let k = 0; k < spr; k++, at += 2) view.setInt16(at, digital[r * spr + k], true);
    }
    bytes.set(tals[r], at);
  }
  return bytes;
}

function _recordCount(layouts: _SignalLayout[], onsets: number[] | undefined): number {
  const counts = new Set(layouts.map((l) => l.digital.length / l.samplesPerRecord));
  if (counts.size > 1) {
    throw new RangeError(
      `Cannot write EDF as every signal must span the same number of records: current value is ${
        [...counts].join(", ")
      }`,
    );
  }
  const count = counts.size === 1 ? [...counts][0] : (onsets?.length ?? 1);
  if (onsets !== undefined && onsets.length !== count) {
    throw new RangeError(
      `Cannot write EDF+D as recordOnsetsSeconds must have one onset per record (${count}): current value is ${onsets.length}`,
    );
  }
  return count;
}

function _checkOnsets(onsets: number[], duration: number): void {
  onsets.forEach((onset, r) => {
    const earliest = r === 0 ? 0 : onsets[r - 1] + duration;
    if (!Number.isFinite(onset) || (r === 0 ? onset !== 0 : onset < earliest - 1e-9)) {
      throw new RangeError(
        `Cannot write EDF+D as record ${r} must start ${
          r === 0 ? "at 0" : `at or after ${earliest} s`
        }: current value is ${onset}`,
      );
    }
  });
}
