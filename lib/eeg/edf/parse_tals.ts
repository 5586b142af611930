/**
 * Parses Time-stamped Annotation Lists (TALs), the content of EDF+ "EDF Annotations"
 * signals (EDF+ spec, Kemp & Olivan 2003, sec. 2.2.2):
 * `+onset[\x15duration]\x14text\x14[text\x14...]\x00`, padded with NULs.
 *
 * @module
 */

/** One TAL: an onset, an optional duration and its annotation texts (possibly empty). */
export interface Tal {
  /** Seconds from the file's start date/time, with its sign. */
  onset: number;
  /** Seconds, or null when the TAL gives none. */
  duration: number | null;
  /** The texts between 0x14 separators; the time-keeping TAL has one empty text. */
  texts: string[];
  /** Offset of the TAL within the parsed bytes. */
  byteOffset: number;
}

/** A TAL that could not be parsed: where, and why. */
export interface TalIssue {
  byteOffset: number;
  constraint: string;
  value: string;
}

const _ONSET = /^[+-]\d+(\.\d*)?$/;
const _DURATION = /^\d+(\.\d*)?$/;
const _utf8 = new TextDecoder("utf-8");

/**
 * The TALs in one annotation signal's bytes of one data record, and the malformed ones
 * (skipped, reported in `issues` so the caller can warn or throw). Texts are UTF-8.
 *
 * @example
 * ```ts
 * import { parseTals } from "./parse_tals.ts";
 * const bytes = new TextEncoder().encode("+0\x14\x14\0+1.5\x152\x14Eyes closed\x14\0\0\0");
 * const { tals } = parseTals(bytes);
 * console.assert(tals.length === 2 && tals[1].onset === 1.5 && tals[1].duration === 2);
 * console.assert(tals[1].texts[0] === "Eyes closed" && tals[0].texts[0] === "");
 * ```
 */
export function parseTals(bytes: Uint8Array): { tals: Tal[]; issues: TalIssue[] } {
  const tals: Tal[] = [];
  const issues: TalIssue[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0) {
      i++;
      continue;
    }
    let end = bytes.indexOf(0, i);
    if (end === -1) {
      issues.push({
        byteOffset: i,
        constraint: "a TAL must end with byte 0x00",
        value: _shown(bytes, i, bytes.length),
      });
      end = bytes.length;
    }
    const tal = _parseOne(bytes, i, end, issues);
    if (tal) tals.push(tal);
    i = end + 1;
  }
  return { tals, issues };
}

function _parseOne(bytes: Uint8Array, start: number, end: number, issues: TalIssue[]): Tal | null {
  const firstSeparator = bytes.indexOf(0x14, start);
  if (firstSeparator === -1 || firstSeparator >= end) {
    issues.push({
      byteOffset: start,
      constraint: "a TAL must hold byte 0x14 after its onset",
      value: _shown(bytes, start, end),
    });
    return null;
  }
  const timing = _text(bytes, start, firstSeparator);
  const [onsetText, durationText, ...extra] = timing.split("\x15");
  if (
    !_ONSET.test(onsetText) || extra.length > 0 ||
    (durationText !== undefined && !_DURATION.test(durationText))
  ) {
    issues.push({
      byteOffset: start,
      constraint: "a TAL must start with +onset or -onset, then optionally 0x15 and a duration",
      value: timing,
    });
    return null;
  }
  if (bytes[end - 1] !== 0x14) {
    issues.push({
      byteOffset: start,
      constraint: "a TAL's last text must end with byte 0x14",
      value: _shown(bytes, start, end),
    });
  }
  let texts: string[];
  if (end === firstSeparator + 2 && bytes[firstSeparator + 1] === 0x14) {
    texts = [""]; // the time-keeping TAL of every record: "+onset" 0x14 0x14
  } else {
    texts = _text(bytes, firstSeparator + 1, end).split("\x14");
    if (texts.length > 1 && texts[texts.length - 1] === "") texts.pop();
  }
  return {
    onset: Number(onsetText),
    duration: durationText === undefined ? null : Number(durationText),
    texts,
    byteOffset: start,
  };
}

/**
 * UTF-8 text of bytes [start, end). ASCII runs (every onset, most texts) skip the
 * TextDecoder, whose per-call cost dominated reading a file's annotations (a TAL per record).
 */
function _text(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 256) return _utf8.decode(bytes.subarray(start, end));
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) return _utf8.decode(bytes.subarray(start, end));
  }
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

function _shown(bytes: Uint8Array, start: number, end: number): string {
  return _utf8.decode(bytes.subarray(start, Math.min(end, start + 40)));
}
