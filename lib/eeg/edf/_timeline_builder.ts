/**
 * Private: builds an EDF+ timeline (record onsets and annotations) from the annotation
 * signals' bytes, record by record.
 *
 * @module
 */
import { EdfFormatError } from "./edf_format_error.ts";
import type { EdfHeader, OnInvalid } from "./edf_header.ts";
import type { EdfAnnotation, EdfTimeline } from "./edf_timeline.ts";
import { parseTals } from "./parse_tals.ts";

/**
 * Builds a timeline from the annotation signals' bytes of each record, handed in
 * record by record (slot = index among the annotation signals). {@linkcode readEdfTimeline}
 * feeds it from its own reads; `readEdf` from the one pass that also decodes the samples.
 */
export class _TimelineBuilder {
  readonly #header: EdfHeader;
  readonly #onInvalid: OnInvalid;
  readonly #warnings: string[];
  readonly #slotOffsets: number[];
  readonly #slotLengths: number[];
  readonly #keeping: Float64Array;
  readonly #annotations: EdfAnnotation[] = [];

  constructor(header: EdfHeader, options: { onInvalid?: OnInvalid; warnings?: string[] } = {}) {
    this.#header = header;
    this.#onInvalid = options.onInvalid ?? "warn";
    this.#warnings = options.warnings ?? [];
    const slots = header.signals.filter((s) => s.isAnnotation);
    this.#slotOffsets = slots.map((s) => s.recordByteOffset);
    this.#slotLengths = slots.map((s) => s.samplesPerRecord * header.bytesPerSample);
    this.#keeping = new Float64Array(header.recordCount).fill(NaN);
  }

  /** Whether the file has annotation signals at all (else `add` is never needed). */
  get hasAnnotationSignals(): boolean {
    return this.#slotOffsets.length > 0;
  }

  /** One annotation signal's bytes (`slot`) of one data record. */
  add(record: number, slot: number, bytes: Uint8Array): void {
    const { tals, issues } = parseTals(bytes);
    const spanOffset = this.#spanOffset(record, slot);
    for (const issue of issues) {
      this.#recoverable(
        spanOffset + issue.byteOffset,
        issue.constraint,
        issue.value,
        "that TAL skipped",
      );
    }
    for (let index = 0; index < tals.length; index++) {
      const tal = tals[index];
      let texts = tal.texts;
      // EDF+ sec. 2.2.4: the first TAL of the first annotation signal of a record keeps time.
      if (slot === 0 && index === 0 && tal.texts[0] === "") {
        this.#keeping[record] = tal.onset;
        texts = texts.slice(1);
      }
      for (const description of texts) {
        if (description !== "") {
          this.#annotations.push({ onset: tal.onset, duration: tal.duration ?? 0, description });
        }
      }
    }
    if (slot === 0 && Number.isNaN(this.#keeping[record])) {
      this.#recoverable(
        spanOffset,
        `record ${record} must start with a time-keeping TAL ("+onset" 0x14 0x14 0x00)`,
        new TextDecoder().decode(bytes.subarray(0, 24)),
        "the onset that follows the previous record",
      );
    }
  }

  /** Every annotation signal of one whole data record that starts at `bytes[index]`. */
  addRecord(record: number, bytes: Uint8Array, index: number): void {
    for (let slot = 0; slot < this.#slotOffsets.length; slot++) {
      const start = index + this.#slotOffsets[slot];
      this.add(record, slot, bytes.subarray(start, start + this.#slotLengths[slot]));
    }
  }

  /** The timeline, once every record's annotation bytes have been added. */
  finish(): EdfTimeline {
    const header = this.#header;
    const keeping = this.#keeping;
    const annotations = this.#annotations;
    const { recordCount, recordDurationSeconds: duration } = header;
    const implied = Float64Array.from({ length: recordCount }, (_, r) => r * duration);
    if (!this.hasAnnotationSignals) {
      return { startOffsetSeconds: 0, recordOnsetsSeconds: implied, annotations: [] };
    }
    const startOffsetSeconds = Number.isNaN(keeping[0]) ? 0 : keeping[0];
    for (const annotation of annotations) annotation.onset -= startOffsetSeconds;
    const onsets = new Float64Array(recordCount);
    for (let r = 0; r < recordCount; r++) {
      onsets[r] = Number.isNaN(keeping[r])
        ? (r === 0 ? 0 : onsets[r - 1] + duration)
        : keeping[r] - startOffsetSeconds;
    }
    const tolerance = 1e-6 + 1e-4 * duration;
    const continuous = !header.fileType.endsWith("+D");
    for (let r = 1; r < recordCount; r++) {
      const gapOk = continuous
        ? Math.abs(onsets[r] - implied[r]) <= tolerance
        : onsets[r] >= onsets[r - 1] + duration - tolerance;
      if (gapOk) continue;
      this.#recoverable(
        this.#spanOffset(r, 0),
        continuous
          ? `record ${r} of an ${header.fileType} file must start at ${
            implied[r]
          } s (record index x duration)`
          : `record ${r} of an EDF+D file must start after record ${r - 1} ends at ${
            onsets[r - 1] + duration
          } s`,
        String(onsets[r]),
        continuous
          ? "the implied onsets"
          : "the onsets as written (later records overwrite earlier ones)",
      );
      break;
    }
    return { startOffsetSeconds, recordOnsetsSeconds: continuous ? implied : onsets, annotations };
  }

  #spanOffset(record: number, slot: number): number {
    const { headerBytes, recordBytes } = this.#header;
    return headerBytes + record * recordBytes + this.#slotOffsets[slot];
  }

  #recoverable(byteOffset: number, constraint: string, value: string, fallback: string): void {
    const message = `Cannot read EDF+ annotations at byte ${byteOffset} as ${constraint}: ` +
      `current value is ${JSON.stringify(value)}`;
    if (this.#onInvalid === "throw") {
      throw new EdfFormatError(message, { field: "EDF Annotations", byteOffset });
    }
    this.#warnings.push(`${message}; continuing with ${fallback}`);
  }
}
