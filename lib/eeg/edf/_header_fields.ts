/**
 * Private helpers for reading the fixed-width ASCII fields of an EDF header and for
 * reporting faults in one message format.
 *
 * @module
 */
import { EdfFormatError } from "./edf_format_error.ts";
import type { OnInvalid } from "./edf_header.ts";

/** Bytes as text, one byte per character (latin-1), so any byte sequence decodes. */
export function _latin1(bytes: Uint8Array, start: number, length: number): string {
  const end = Math.min(bytes.length, start + length);
  // One call over the field's bytes (fields are at most 80 bytes; a header has hundreds of
  // fields): building the string a character at a time took most of the header's parse time.
  // TextDecoder("latin1") is no substitute: it decodes windows-1252, which differs at 0x80-0x9f.
  if (end - start <= 4096) {
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  let text = "";
  for (let i = start; i < end; i += 4096) text += _latin1(bytes, i, Math.min(4096, end - i));
  return text;
}

/** A field's text without trailing padding (spaces, and anything after a NUL as MNE does). */
export function _fieldText(bytes: Uint8Array, start: number, length: number): string {
  const raw = _latin1(bytes, start, length);
  const nul = raw.indexOf("\0");
  return (nul === -1 ? raw : raw.slice(0, nul)).replace(/ +$/, "");
}

/** True when the text holds characters outside printable ASCII (µ, 0xB5, is tolerated). */
export function _hasOddCharacters(text: string): boolean {
  return /[^\x20-\x7e\xb5]/.test(text);
}

const _DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const _INTEGER = /^[+-]?\d+$/;

/** Reports faults found in one file: fatal ones throw, recoverable ones warn or throw. */
export class _FaultReporter {
  readonly #repeats = new Map<string, { at: number; count: number }>();

  constructor(
    readonly format: "EDF" | "BDF",
    readonly onInvalid: OnInvalid,
    readonly warnings: string[],
  ) {}

  /** The shared message: Cannot read <format> header field "<field>" ... current value is <v>. */
  message(field: string, byteOffset: number, constraint: string, value: unknown, signal?: string) {
    const where = signal === undefined ? "" : ` of ${signal}`;
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    return `Cannot read ${this.format} header field "${field}"${where} at byte ${byteOffset} ` +
      `as ${constraint}: current value is ${shown}`;
  }

  fatal(
    field: string,
    byteOffset: number,
    constraint: string,
    value: unknown,
    signalIndex?: number,
    signalName?: string,
  ): never {
    throw new EdfFormatError(
      this.message(field, byteOffset, constraint, value, signalName),
      { field, byteOffset, signalIndex },
    );
  }

  /** A recoverable fault: throws when onInvalid is "throw", else warns with the default used. */
  recoverable(
    field: string,
    byteOffset: number,
    constraint: string,
    value: unknown,
    fallback: string,
    signalIndex?: number,
    signalName?: string,
  ): void {
    const message = this.message(field, byteOffset, constraint, value, signalName);
    if (this.onInvalid === "throw") {
      throw new EdfFormatError(message, { field, byteOffset, signalIndex });
    }
    // The same fault in many signals (e.g. one prefilter text in all 41) is one warning.
    const key = `${field}\0${constraint}\0${String(value)}`;
    const earlier = signalIndex === undefined ? undefined : this.#repeats.get(key);
    if (earlier === undefined) {
      if (signalIndex !== undefined) this.#repeats.set(key, { at: this.warnings.length, count: 0 });
      this.warnings.push(`${message}; continuing with ${fallback}`);
      return;
    }
    earlier.count++;
    const base = this.warnings[earlier.at].replace(/ \(and \d+ more signals? alike\)$/, "");
    this.warnings[earlier.at] = `${base} (and ${earlier.count} more signal${
      earlier.count > 1 ? "s" : ""
    } alike)`;
  }

  /** Parses an integer field; anything else is fatal. */
  integer(
    bytes: Uint8Array,
    start: number,
    length: number,
    field: string,
    signalIndex?: number,
    signalName?: string,
  ): number {
    const text = _fieldText(bytes, start, length).trim();
    const value = Number(text);
    if (!_INTEGER.test(text) || !Number.isSafeInteger(value)) {
      this.fatal(field, start, "it must be an integer", text, signalIndex, signalName);
    }
    return value;
  }

  /** Parses a decimal field; a comma decimal separator is recoverable, anything else fatal. */
  decimal(
    bytes: Uint8Array,
    start: number,
    length: number,
    field: string,
    signalIndex?: number,
    signalName?: string,
  ): number {
    const text = _fieldText(bytes, start, length).trim();
    const dotted = text.replace(",", ".");
    if (!_DECIMAL.test(dotted) || !Number.isFinite(Number(dotted))) {
      this.fatal(field, start, "it must be a finite decimal number", text, signalIndex, signalName);
    }
    if (dotted !== text) {
      this.recoverable(
        field,
        start,
        "it must use a decimal point",
        text,
        `${Number(dotted)}`,
        signalIndex,
        signalName,
      );
    }
    return Number(dotted);
  }
}

/** A short guess at what a non-EDF file is, from its first bytes ("" when unknown). */
export function _sniffKind(bytes: Uint8Array): string {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "a JPEG image";
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "a PNG image";
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return "a TIFF image";
  if (starts(0x25, 0x50, 0x44, 0x46)) return "a PDF document";
  if (starts(0x50, 0x4b, 0x03, 0x04)) return "a ZIP archive";
  if (starts(0x1f, 0x8b)) return "a gzip archive";
  if (starts(0x47, 0x44, 0x46)) return "a GDF file";
  return "";
}

/** A value shown unquoted in a fault message (e.g. "a 1-byte file"). */
export function _plain(text: string): { toString(): string } {
  return { toString: () => text };
}
