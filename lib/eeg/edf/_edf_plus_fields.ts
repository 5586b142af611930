/**
 * Private parsing of the EDF+ subfields of the patient and recording identification and
 * of the start date/time, following the EDF+ specification (Kemp & Olivan 2003, sec. 2.1.3).
 *
 * @module
 */
import type { EdfPatient, EdfRecording } from "./edf_header.ts";

const _MONTHS = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];

/** A valid UTC date from its parts, or null (e.g. 31 February, hour 25). */
export function _utcDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 100) date.setUTCFullYear(year);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date : null;
}

/** "dd-MMM-yyyy" (EDF+ subfield dates, month names in English capitals) to a date, or null. */
export function _parseEdfPlusDate(text: string): Date | null {
  const match = /^(\d\d)-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!match) return null;
  const month = _MONTHS.indexOf(match[2].toUpperCase()) + 1;
  return month === 0 ? null : _utcDate(Number(match[3]), month, Number(match[1]));
}

/** A date as "dd-MMM-yyyy". */
export function _formatEdfPlusDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, "0");
  return `${day}-${_MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()}`;
}

const _orNull = (part: string | undefined) => (part === undefined || part === "X" ? null : part);

/** The EDF+ patient subfields, or null when there are fewer than four. */
export function _parsePatient(text: string): EdfPatient | null {
  const parts = text.trim().split(/ +/);
  if (parts.length < 4 || parts[0] === "") return null;
  const sex = parts[1] === "F" || parts[1] === "M" ? parts[1] : null;
  const birthdateText = _orNull(parts[2]);
  return {
    code: _orNull(parts[0]),
    sex,
    birthdateText,
    birthdate: birthdateText === null ? null : _parseEdfPlusDate(birthdateText),
    name: _orNull(parts[3]),
    additional: parts.slice(4).join(" "),
  };
}

/** The EDF+ recording subfields, or null unless the text starts "Startdate " with 4 more. */
export function _parseRecording(text: string): EdfRecording | null {
  const parts = text.trim().split(/ +/);
  if (parts.length < 5 || parts[0] !== "Startdate") return null;
  return {
    startdateText: _orNull(parts[1]),
    adminCode: _orNull(parts[2]),
    technician: _orNull(parts[3]),
    equipment: _orNull(parts[4]),
    additional: parts.slice(5).join(" "),
  };
}

/** The header's "dd.mm.yy" + "hh.mm.ss" parts, or null when either is malformed. */
export function _parseStartFields(
  dateText: string,
  timeText: string,
): { day: number; month: number; yy: number; hour: number; minute: number; second: number } | null {
  const date = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(dateText);
  const time = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(timeText);
  if (!date || !time) return null;
  return {
    day: Number(date[1]),
    month: Number(date[2]),
    yy: Number(date[3]),
    hour: Number(time[1]),
    minute: Number(time[2]),
    second: Number(time[3]),
  };
}

/** The EDF two-digit year rule: 85-99 are 1985-1999, 00-84 are 2000-2084. */
export function _fullYear(yy: number): number {
  return yy >= 85 ? 1900 + yy : 2000 + yy;
}
