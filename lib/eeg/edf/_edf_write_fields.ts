/**
 * Private helpers of the EDF writer: fixed-width ASCII fields, 8-character numbers and
 * TAL encoding.
 *
 * @module
 */
import { _formatEdfPlusDate } from "./_edf_plus_fields.ts";
import type { EdfWriteAnnotation, WriteEdfOptions } from "./write_edf.ts";

/** Writes `text` left-aligned, space-padded, into `width` bytes at `offset`. */
export function _putField(
  bytes: Uint8Array,
  offset: number,
  width: number,
  text: string,
  field: string,
): void {
  if (text.length > width || /[^\x20-\x7e]/.test(text)) {
    throw new RangeError(
      `Cannot write EDF header field "${field}" as it must be at most ${width} printable ASCII ` +
        `characters: current value is ${JSON.stringify(text)}`,
    );
  }
  for (let i = 0; i < width; i++) bytes[offset + i] = i < text.length ? text.charCodeAt(i) : 0x20;
}

/**
 * `value` as a plain decimal of at most 8 characters. "down"/"up" round outwards so a
 * physical range still contains the data; "exact" throws unless the value fits unchanged.
 */
export function _formatNumber8(
  value: number,
  rounding: "down" | "up" | "exact",
  field: string,
): string {
  const fail = (why: string): never => {
    throw new RangeError(
      `Cannot write EDF header field "${field}" as ${why}: current value is ${value}`,
    );
  };
  if (!Number.isFinite(value)) fail("it must be a finite number");
  const plain = String(value);
  if (plain.length <= 8 && !plain.includes("e")) return plain;
  if (rounding === "exact") fail("it must fit in 8 characters as a plain decimal");
  for (let decimals = 7; decimals >= 0; decimals--) {
    const scale = 10 ** decimals;
    const scaled = value * scale;
    const nearest = Math.round(scaled);
    const step = Math.abs(scaled - nearest) < 1e-6
      ? nearest
      : rounding === "down"
      ? Math.floor(scaled)
      : Math.ceil(scaled);
    const text = _trimZeros((step / scale).toFixed(decimals));
    if (text.length <= 8) return text;
  }
  return fail("it must fit in 8 characters as a plain decimal");
}

function _trimZeros(text: string): string {
  if (!text.includes(".")) return text === "-0" ? "0" : text;
  const trimmed = text.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

/** Seconds as a TAL number: plain decimal, no exponent, with the sign for onsets. */
export function _talSeconds(seconds: number, signed: boolean): string {
  let text = String(Math.abs(seconds));
  if (text.includes("e")) text = _trimZeros(Math.abs(seconds).toFixed(12));
  return signed ? (seconds < 0 ? "-" : "+") + text : text;
}

const _utf8 = new TextEncoder();

/** One TAL: +onset[0x15 duration] 0x14 text 0x14 ... 0x00, UTF-8 encoded. */
export function _encodeTal(onset: number, duration: number | null, texts: string[]): Uint8Array {
  let tal = _talSeconds(onset, true);
  if (duration !== null && duration > 0) tal += "\x15" + _talSeconds(duration, false);
  tal += "\x14" + texts.map((t) => t + "\x14").join("") + "\0";
  return _utf8.encode(tal);
}

/** The TAL bytes of each record: its time-keeping TAL, then the annotations placed there. */
export function _talsPerRecord(
  annotations: EdfWriteAnnotation[],
  onsets: number[],
  duration: number,
  subSecond: number,
): Uint8Array[] {
  const perRecord: Uint8Array[][] = onsets.map((
    onset,
  ) => [_encodeTal(subSecond + onset, null, [""])]);
  for (const { onset, duration: length = 0, description } of annotations) {
    if (
      !Number.isFinite(onset) || !(length >= 0) || typeof description !== "string" ||
      description === "" || ["\0", "\x14", "\x15"].some((c) => description.includes(c))
    ) {
      throw new RangeError(
        `Cannot write EDF annotation as it needs a finite onset, a duration >= 0 and a non-empty description ` +
          `without bytes 0x00, 0x14, 0x15: current value is ${
            JSON.stringify({ onset, duration: length, description })
          }`,
      );
    }
    // The record whose time span holds the onset (the first or last one for onsets outside).
    let r = onsets.length - 1;
    while (r > 0 && onsets[r] > onset + 1e-9 * Math.max(1, duration)) r--;
    perRecord[r].push(_encodeTal(subSecond + onset, length, [description]));
  }
  return perRecord.map((parts) => {
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    return joined;
  });
}

/** The EDF+ patient field. */
export function _patientText(patient: WriteEdfOptions["patient"]): string {
  if (typeof patient === "string") return patient;
  const { code, sex, birthdate, name, additional } = patient ?? {};
  return [
    _subfield(code),
    sex ?? "X",
    birthdate ? _formatEdfPlusDate(birthdate) : "X",
    _subfield(name),
    additional ?? "",
  ]
    .join(" ").trimEnd();
}

/** The EDF+ recording field. */
export function _recordingText(recording: WriteEdfOptions["recording"], startDate: Date): string {
  if (typeof recording === "string") return recording;
  const { adminCode, technician, equipment, additional } = recording ?? {};
  return [
    "Startdate",
    _formatEdfPlusDate(startDate),
    _subfield(adminCode),
    _subfield(technician),
    _subfield(equipment),
    additional ?? "",
  ]
    .join(" ").trimEnd();
}

/** EDF+ subfields hold no spaces: they become underscores; empty means unknown, "X". */
const _subfield = (text: string | undefined) => (text ? text.replaceAll(" ", "_") : "X");
