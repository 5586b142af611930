/**
 * Private: the per-signal part of an EDF/BDF header (ns x 256 bytes after the fixed 256).
 *
 * @module
 */
import { _FaultReporter, _fieldText, _hasOddCharacters } from "./_header_fields.ts";
import type { EdfSignalHeader } from "./edf_header.ts";

/** Per-signal fields in file order: name as in the EDF spec, and width in bytes. */
export const _SIGNAL_FIELDS = [
  ["label", 16],
  ["transducer type", 80],
  ["physical dimension", 8],
  ["physical minimum", 8],
  ["physical maximum", 8],
  ["digital minimum", 8],
  ["digital maximum", 8],
  ["prefiltering", 80],
  ["number of samples in each data record", 8],
  ["reserved", 32],
] as const;

/** Where field `k` of signal `i` starts, for `signalCount` signals. */
export function _signalFieldOffset(k: number, i: number, signalCount: number): number {
  let offset = 256;
  for (let j = 0; j < k; j++) offset += _SIGNAL_FIELDS[j][1] * signalCount;
  return offset + _SIGNAL_FIELDS[k][1] * i;
}

/** Parses and checks every signal's header; fatal faults throw through `report`. */
export function _parseSignalHeaders(
  bytes: Uint8Array,
  signalCount: number,
  recordDurationSeconds: number,
  bytesPerSample: 2 | 3,
  report: _FaultReporter,
): EdfSignalHeader[] {
  const at = (k: number, i: number) => _signalFieldOffset(k, i, signalCount);
  const text = (k: number, i: number) => _fieldText(bytes, at(k, i), _SIGNAL_FIELDS[k][1]);
  const [digitalLow, digitalHigh] = bytesPerSample === 2 ? [-32768, 32767] : [-8388608, 8388607];
  const signals: EdfSignalHeader[] = [];
  let recordByteOffset = 0;
  for (let i = 0; i < signalCount; i++) {
    const label = text(0, i).trim();
    const who = `signal ${i} (${JSON.stringify(label)})`;
    const number = (k: number, integer: boolean) => {
      const [field, width] = _SIGNAL_FIELDS[k];
      return integer
        ? report.integer(bytes, at(k, i), width, field, i, who)
        : report.decimal(bytes, at(k, i), width, field, i, who);
    };
    const signal: EdfSignalHeader = {
      index: i,
      label,
      transducer: text(1, i).trim(),
      physicalDimension: text(2, i).trim(),
      physicalMin: number(3, false),
      physicalMax: number(4, false),
      digitalMin: number(5, true),
      digitalMax: number(6, true),
      prefilter: text(7, i).trim(),
      samplesPerRecord: number(8, true),
      sampleRateHz: 0,
      isAnnotation: label === "EDF Annotations" || label === "BDF Annotations",
      recordByteOffset,
      reserved: text(9, i).trim(),
    };
    if (signal.samplesPerRecord < 1) {
      report.fatal(
        _SIGNAL_FIELDS[8][0],
        at(8, i),
        "it must be a positive integer",
        text(8, i).trim(),
        i,
        who,
      );
    }
    signal.sampleRateHz = recordDurationSeconds > 0
      ? signal.samplesPerRecord / recordDurationSeconds
      : 0;
    recordByteOffset += signal.samplesPerRecord * bytesPerSample;
    if (!signal.isAnnotation) _checkScaling(signal, at, report, who, digitalLow, digitalHigh);
    for (const k of [0, 1, 2, 7, 9]) {
      const value = text(k, i);
      if (_hasOddCharacters(value)) {
        report.recoverable(
          _SIGNAL_FIELDS[k][0],
          at(k, i),
          "it must be printable ASCII",
          value,
          "the text as written",
          i,
          who,
        );
      }
    }
    if (/\{[^}]*\}/.test(signal.prefilter)) {
      report.recoverable(
        "prefiltering",
        at(7, i),
        "it must state the filters, not a template placeholder",
        signal.prefilter,
        "the text as written",
        i,
        who,
      );
    }
    signals.push(signal);
  }
  _checkUniqueLabels(signals, at, report);
  return signals;
}

function _checkScaling(
  signal: EdfSignalHeader,
  at: (k: number, i: number) => number,
  report: _FaultReporter,
  who: string,
  digitalLow: number,
  digitalHigh: number,
): void {
  const i = signal.index;
  if (signal.digitalMax <= signal.digitalMin) {
    report.fatal(
      "digital maximum",
      at(6, i),
      `it must be greater than the digital minimum ${signal.digitalMin}`,
      String(signal.digitalMax),
      i,
      who,
    );
  }
  for (const [k, value] of [[5, signal.digitalMin], [6, signal.digitalMax]] as const) {
    if (value < digitalLow || value > digitalHigh) {
      report.recoverable(
        _SIGNAL_FIELDS[k][0],
        at(k, i),
        `it must lie in ${digitalLow}..${digitalHigh} for ${
          digitalHigh === 32767 ? 16 : 24
        }-bit samples`,
        String(value),
        "the value as written",
        i,
        who,
      );
    }
  }
  if (signal.physicalMax === signal.physicalMin) {
    report.recoverable(
      "physical maximum",
      at(4, i),
      "it must differ from the physical minimum",
      String(signal.physicalMax),
      "every sample read as the physical minimum",
      i,
      who,
    );
  }
}

function _checkUniqueLabels(
  signals: EdfSignalHeader[],
  at: (k: number, i: number) => number,
  report: _FaultReporter,
): void {
  const first = new Map<string, number>();
  for (const signal of signals) {
    const earlier = first.get(signal.label);
    if (earlier === undefined) {
      first.set(signal.label, signal.index);
      continue;
    }
    report.recoverable(
      "label",
      at(0, signal.index),
      `labels must be unique but signal ${earlier} has the same one`,
      signal.label,
      "the duplicate label (selecting by name picks the first; use the index for this one)",
      signal.index,
      `signal ${signal.index}`,
    );
  }
}
