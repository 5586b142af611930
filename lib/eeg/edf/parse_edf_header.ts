/**
 * Parses the header record of an EDF, EDF+ or BDF file into an {@linkcode EdfHeader},
 * separating fatal faults (thrown as {@linkcode EdfFormatError}) from recoverable oddities
 * (collected in `header.warnings`, or thrown when `onInvalid` is "throw").
 *
 * @module
 */
import {
  _FaultReporter,
  _fieldText,
  _hasOddCharacters,
  _latin1,
  _plain,
  _sniffKind,
} from "./_header_fields.ts";
import { _parsePatient, _parseRecording } from "./_edf_plus_fields.ts";
import { _checkVersion, _fileType, _recordCount, _startDate } from "./_header_checks.ts";
import {
  _parseSignalHeaders,
  _SIGNAL_FIELDS,
  _signalFieldOffset,
} from "./_parse_signal_headers.ts";
import type { EdfHeader, OnInvalid } from "./edf_header.ts";

/** Options of {@linkcode parseEdfHeader}. */
export interface ParseEdfHeaderOptions {
  /** Size of the whole file; defaults to `bytes.length` (i.e. `bytes` is the whole file). */
  fileSize?: number;
  /** Recoverable oddities: "warn" (default) collects them in `warnings`, "throw" throws. */
  onInvalid?: OnInvalid;
}

/** Fixed header fields: name, start byte, width. */
const _FIXED_FIELDS = [
  ["version", 0, 8],
  ["patient identification", 8, 80],
  ["recording identification", 88, 80],
  ["startdate", 168, 8],
  ["starttime", 176, 8],
  ["number of bytes in header record", 184, 8],
  ["reserved", 192, 44],
  ["number of data records", 236, 8],
  ["duration of a data record", 244, 8],
  ["number of signals", 252, 4],
] as const;

/**
 * Parses an EDF/BDF header. `bytes` must hold at least the whole header (256 bytes plus
 * 256 per signal); pass `fileSize` when it holds only that, so the data size is checked.
 *
 * @example
 * ```ts
 * import { parseEdfHeader } from "./parse_edf_header.ts";
 * import { writeEdf } from "./write_edf.ts";
 * const bytes = writeEdf({
 *   signals: [{ label: "Fz", sampleRateHz: 4, data: new Float32Array(8) }],
 * });
 * const header = parseEdfHeader(bytes);
 * console.assert(header.fileType === "EDF+C" && header.recordCount === 2);
 * console.assert(header.signals[0].sampleRateHz === 4 && header.signals[1].isAnnotation);
 * ```
 */
export function parseEdfHeader(bytes: Uint8Array, options: ParseEdfHeaderOptions = {}): EdfHeader {
  const { fileSize = bytes.length, onInvalid = "warn" } = options;
  if (onInvalid !== "warn" && onInvalid !== "throw") {
    throw new TypeError(
      `Cannot parse an EDF header as onInvalid must be "warn" or "throw": current value is ${
        JSON.stringify(onInvalid)
      }`,
    );
  }
  const isBdf = bytes[0] === 0xff;
  const warnings: string[] = [];
  const report = new _FaultReporter(isBdf ? "BDF" : "EDF", onInvalid, warnings);
  if (fileSize < 256) {
    const [name, start] = _FIXED_FIELDS.findLast(([, start]) => start <= fileSize) ??
      _FIXED_FIELDS[0];
    report.fatal(
      name,
      start,
      `the file ends at byte ${fileSize} but the fixed header needs 256 bytes`,
      _plain(`a ${fileSize}-byte file`),
    );
  }
  _checkVersion(bytes, isBdf, report);

  const patientId = _fieldText(bytes, 8, 80);
  const recordingId = _fieldText(bytes, 88, 80);
  for (
    const [text, start, name] of [[patientId, 8, "patient"], [
      recordingId,
      88,
      "recording",
    ]] as const
  ) {
    if (_hasOddCharacters(text)) {
      report.recoverable(
        `${name} identification`,
        start,
        "it must be printable ASCII",
        text,
        "the text as written",
      );
    }
  }
  const headerBytes = report.integer(bytes, 184, 8, "number of bytes in header record");
  const reserved = _fieldText(bytes, 192, 44);
  const fileType = _fileType(reserved, isBdf, report);
  const declaredRecordCount = report.integer(bytes, 236, 8, "number of data records");
  if (declaredRecordCount < -1) {
    report.fatal(
      "number of data records",
      236,
      "it must be a non-negative integer, or -1 when unknown",
      _fieldText(bytes, 236, 8),
    );
  }
  const recordDurationSeconds = report.decimal(bytes, 244, 8, "duration of a data record");
  if (recordDurationSeconds < 0) {
    report.fatal(
      "duration of a data record",
      244,
      "it must be non-negative",
      _fieldText(bytes, 244, 8),
    );
  }
  const signalCount = report.integer(bytes, 252, 4, "number of signals");
  if (signalCount < 1) {
    report.fatal(
      "number of signals",
      252,
      "it must be a positive integer",
      _fieldText(bytes, 252, 4),
    );
  }
  if (headerBytes !== 256 * (signalCount + 1)) {
    report.fatal(
      "number of bytes in header record",
      184,
      `it must be 256 * (1 + number of signals) = ${
        256 * (signalCount + 1)
      } for ${signalCount} signals`,
      _fieldText(bytes, 184, 8),
    );
  }
  if (fileSize < headerBytes) {
    const [name, start, signalIndex] = _signalFieldAt(fileSize, signalCount);
    report.fatal(
      name,
      start,
      `the file ends at byte ${fileSize} but the header of ${signalCount} signals needs ${headerBytes} bytes`,
      _plain(`a ${fileSize}-byte file`),
      signalIndex,
      `signal ${signalIndex}`,
    );
  }
  if (bytes.length < headerBytes) {
    throw new RangeError(
      `Cannot parse an EDF header as the bytes must hold the whole ${headerBytes}-byte header: ` +
        `current value is ${bytes.length} bytes`,
    );
  }
  const bytesPerSample = isBdf ? 3 : 2;
  const signals = _parseSignalHeaders(
    bytes,
    signalCount,
    recordDurationSeconds,
    bytesPerSample,
    report,
  );
  const recordBytes = signals.reduce((sum, s) => sum + s.samplesPerRecord * bytesPerSample, 0);
  if (recordDurationSeconds === 0 && signals.some((s) => !s.isAnnotation)) {
    report.fatal(
      "duration of a data record",
      244,
      "it must be positive when the file has ordinary signals",
      _fieldText(bytes, 244, 8),
    );
  }
  if (signals.some((s) => !Number.isFinite(s.sampleRateHz))) {
    report.fatal(
      "duration of a data record",
      244,
      "samples per record / duration must give finite sample rates",
      _fieldText(bytes, 244, 8),
    );
  }
  if (fileType.includes("+") && !signals.some((s) => s.isAnnotation)) {
    report.recoverable(
      "reserved",
      192,
      `an ${fileType} file must have an "${isBdf ? "BDF" : "EDF"} Annotations" signal`,
      reserved,
      "no annotations",
    );
  }
  const recordCount = _recordCount(
    fileSize,
    headerBytes,
    recordBytes,
    declaredRecordCount,
    bytes,
    report,
  );

  const startDateText = _fieldText(bytes, 168, 8);
  const startTimeText = _fieldText(bytes, 176, 8);
  const patient = _parsePatient(patientId);
  const recording = _parseRecording(recordingId);
  if (fileType.includes("+")) {
    if (patient === null) {
      report.recoverable(
        "patient identification",
        8,
        'EDF+ needs "code sex birthdate name" subfields',
        patientId,
        "patient null",
      );
    } else if (patient.birthdateText !== null && patient.birthdate === null) {
      report.recoverable(
        "patient identification",
        8,
        'the birthdate must be "dd-MMM-yyyy" or "X"',
        patient.birthdateText,
        "birthdate null",
      );
    }
    if (recording === null) {
      report.recoverable(
        "recording identification",
        88,
        'EDF+ needs "Startdate dd-MMM-yyyy admincode technician equipment" subfields',
        recordingId,
        "recording null",
      );
    }
  }
  const startDate = _startDate(
    startDateText,
    startTimeText,
    recording?.startdateText ?? null,
    report,
  );
  return {
    fileType,
    version: isBdf ? "BIOSEMI" : "0",
    bytesPerSample,
    patientId,
    recordingId,
    patient,
    recording,
    startDate,
    startDateText,
    startTimeText,
    headerBytes,
    reserved,
    declaredRecordCount,
    recordCount,
    recordDurationSeconds,
    durationSeconds: recordCount * recordDurationSeconds,
    recordBytes,
    signalCount,
    signals,
    warnings,
  };
}

/** The field that contains byte `offset` of the signal headers: name, start, signal index. */
function _signalFieldAt(offset: number, signalCount: number): [string, number, number] {
  for (let k = _SIGNAL_FIELDS.length - 1; k >= 0; k--) {
    for (let i = signalCount - 1; i >= 0; i--) {
      const start = _signalFieldOffset(k, i, signalCount);
      if (start <= offset) return [_SIGNAL_FIELDS[k][0], start, i];
    }
  }
  return [_SIGNAL_FIELDS[0][0], 256, 0];
}
