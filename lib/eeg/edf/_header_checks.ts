/**
 * Private checks of an EDF header that need several fields at once: the record count
 * against the file size, and the start date against the EDF+ recording field.
 *
 * @module
 */
import { type _FaultReporter, _fieldText, _latin1, _sniffKind } from "./_header_fields.ts";
import type { EdfFileType } from "./edf_header.ts";
import { _fullYear, _parseEdfPlusDate, _parseStartFields, _utcDate } from "./_edf_plus_fields.ts";

/** The number of records to use: the declared one, or inferred from the size for -1. */
export function _recordCount(
  fileSize: number,
  headerBytes: number,
  recordBytes: number,
  declared: number,
  bytes: Uint8Array,
  report: _FaultReporter,
): number {
  const available = fileSize - headerBytes;
  const fullRecords = Math.floor(available / recordBytes);
  if (declared === -1) {
    if (available % recordBytes !== 0) {
      report.recoverable(
        "number of data records",
        236,
        `the data after the header must be whole records of ${recordBytes} bytes (it is -1, so the count comes from the file size ${fileSize})`,
        "-1",
        `${fullRecords} records, ignoring the last ${available % recordBytes} bytes`,
      );
    }
    return fullRecords;
  }
  const expected = headerBytes + declared * recordBytes;
  if (fullRecords < declared) {
    report.fatal(
      "number of data records",
      236,
      `the file must hold that many records of ${recordBytes} bytes after the ${headerBytes}-byte header ` +
        `(${expected} bytes in all) but it has ${fileSize} bytes, i.e. ${fullRecords} full records`,
      _fieldText(bytes, 236, 8),
    );
  }
  if (fileSize > expected) {
    report.recoverable(
      "number of data records",
      236,
      `the file must end after that many records of ${recordBytes} bytes (${expected} bytes) but it has ${fileSize} bytes`,
      _fieldText(bytes, 236, 8),
      `${declared} records, ignoring the last ${fileSize - expected} bytes`,
    );
  }
  return declared;
}

/** The start date, preferring the 4-digit year of the EDF+ recording field. */
export function _startDate(
  dateText: string,
  timeText: string,
  subfieldDate: string | null,
  report: _FaultReporter,
): Date | null {
  const parts = _parseStartFields(dateText, timeText);
  const header = parts &&
    _utcDate(_fullYear(parts.yy), parts.month, parts.day, parts.hour, parts.minute, parts.second);
  if (!parts || !header) {
    report.recoverable(
      "startdate",
      168,
      'it must be a valid "dd.mm.yy" date with a valid "hh.mm.ss" time',
      `${dateText} ${timeText}`,
      "startDate null",
    );
    return null;
  }
  // EDF+ (sec. 2.1.3.3): the recording field carries the 4-digit year; prefer it, as MNE does.
  const full = subfieldDate === null ? null : _parseEdfPlusDate(subfieldDate);
  if (full === null) return header;
  const date = _utcDate(
    full.getUTCFullYear(),
    full.getUTCMonth() + 1,
    full.getUTCDate(),
    parts.hour,
    parts.minute,
    parts.second,
  );
  if (date === null) return header;
  if (
    full.getUTCDate() !== parts.day || full.getUTCMonth() + 1 !== parts.month ||
    full.getUTCFullYear() % 100 !== parts.yy
  ) {
    report.recoverable(
      "startdate",
      168,
      `it must match the recording field's date ${subfieldDate}`,
      dateText,
      "the recording field's date",
    );
  }
  return date;
}

/** Fatal unless the version field says EDF ("0") or BDF (0xFF "BIOSEMI"). */
export function _checkVersion(bytes: Uint8Array, isBdf: boolean, report: _FaultReporter): void {
  const kind = _sniffKind(bytes);
  const hint = kind === "" ? "" : ` (the file looks like ${kind}, not EDF)`;
  if (isBdf) {
    const marker = _latin1(bytes, 1, 7);
    if (marker !== "BIOSEMI") {
      report.fatal("version", 1, `byte 0xFF must be followed by "BIOSEMI"${hint}`, marker);
    }
    return;
  }
  const version = _fieldText(bytes, 0, 8);
  if (version !== "0") {
    report.fatal(
      "version",
      0,
      `it must be "0" (EDF) or byte 0xFF then "BIOSEMI" (BDF)${hint}`,
      _latin1(bytes, 0, 8),
    );
  }
}

/** The file type from the reserved field ("EDF+C", "EDF+D", "BDF+C", ...). */
export function _fileType(reserved: string, isBdf: boolean, report: _FaultReporter): EdfFileType {
  const plus = /^(EDF|BDF)\+([CD])/.exec(reserved);
  if (plus) return `${isBdf ? "BDF" : "EDF"}+${plus[2] as "C" | "D"}`;
  if (/^(EDF|BDF)\+/.test(reserved)) {
    report.recoverable(
      "reserved",
      192,
      'an EDF+ file must say "EDF+C" or "EDF+D" there',
      reserved,
      `${isBdf ? "BDF" : "EDF"}+C`,
    );
    return isBdf ? "BDF+C" : "EDF+C";
  }
  return isBdf ? "BDF" : "EDF";
}
