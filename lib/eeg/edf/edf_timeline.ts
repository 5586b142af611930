/**
 * Reads the EDF+ annotation signals of every data record: the annotations, and the
 * record onsets that the time-keeping TALs give (what makes EDF+D files discontinuous).
 *
 * @module
 */
import type { ByteSource } from "./byte_source.ts";
import { EdfFormatError } from "./edf_format_error.ts";
import type { EdfHeader, OnInvalid } from "./edf_header.ts";
import { parseTals } from "./parse_tals.ts";
import { _readSpans, type _Span } from "./_read_spans.ts";

/** One annotation. Onset in seconds from the start of the first data record. */
export interface EdfAnnotation {
  onset: number;
  /** Seconds; 0 when the TAL gives no duration (as MNE reports it). */
  duration: number;
  description: string;
}

/** Where the data records lie in time, and the annotations. */
export interface EdfTimeline {
  /**
   * Seconds from the header's start date/time to the first data record: the onset of the
   * first time-keeping TAL (EDF+ stores sub-second start times there); 0 for plain EDF.
   */
  startOffsetSeconds: number;
  /**
   * Onset of each data record in seconds from the first record's start. For EDF+C and
   * plain EDF this is record index x record duration; for EDF+D it is what each record's
   * time-keeping TAL says.
   */
  recordOnsetsSeconds: Float64Array;
  /** Every annotation in file order, onsets shifted by -startOffsetSeconds (as MNE does). */
  annotations: EdfAnnotation[];
}

/**
 * Scans the annotation signals of all records (only those bytes are read). Malformed
 * TALs and inconsistent record onsets are recoverable: they are appended to `warnings`
 * (or thrown as {@linkcode EdfFormatError} when onInvalid is "throw").
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import { parseEdfHeader } from "./parse_edf_header.ts";
 * import { readEdfTimeline } from "./edf_timeline.ts";
 * import { writeEdf } from "./write_edf.ts";
 * const bytes = writeEdf({
 *   signals: [{ label: "Cz", sampleRateHz: 2, data: new Float32Array(6) }],
 *   annotations: [{ onset: 1.5, duration: 0.5, description: "blink" }],
 * });
 * const timeline = await readEdfTimeline(bytesSource(bytes), parseEdfHeader(bytes));
 * console.assert(timeline.annotations[0].description === "blink");
 * console.assert(timeline.recordOnsetsSeconds.join() === "0,1,2");
 * ```
 */
export async function readEdfTimeline(
  source: ByteSource,
  header: EdfHeader,
  options: { onInvalid?: OnInvalid; warnings?: string[] } = {},
): Promise<EdfTimeline> {
  const { onInvalid = "warn", warnings = [] } = options;
  const { recordCount, recordDurationSeconds: duration, recordBytes, headerBytes } = header;
  const implied = Float64Array.from({ length: recordCount }, (_, r) => r * duration);
  const annotationSignals = header.signals.filter((s) => s.isAnnotation);
  if (annotationSignals.length === 0) {
    return { startOffsetSeconds: 0, recordOnsetsSeconds: implied, annotations: [] };
  }
  const recoverable = (byteOffset: number, constraint: string, value: string, fallback: string) => {
    const message = `Cannot read EDF+ annotations at byte ${byteOffset} as ${constraint}: ` +
      `current value is ${JSON.stringify(value)}`;
    if (onInvalid === "throw") {
      throw new EdfFormatError(message, { field: "EDF Annotations", byteOffset });
    }
    warnings.push(`${message}; continuing with ${fallback}`);
  };
  const keeping = new Float64Array(recordCount).fill(NaN);
  const annotations: EdfAnnotation[] = [];
  const spanOffset = (r: number, slot: number) =>
    headerBytes + r * recordBytes + annotationSignals[slot].recordByteOffset;
  function* spans(): Generator<_Span> {
    for (let record = 0; record < recordCount; record++) {
      for (let slot = 0; slot < annotationSignals.length; slot++) {
        const length = annotationSignals[slot].samplesPerRecord * header.bytesPerSample;
        yield { offset: spanOffset(record, slot), length, record, slot };
      }
    }
  }
  await _readSpans(source, spans(), (span, bytes) => {
    const { tals, issues } = parseTals(bytes);
    for (const issue of issues) {
      recoverable(
        span.offset + issue.byteOffset,
        issue.constraint,
        issue.value,
        "that TAL skipped",
      );
    }
    tals.forEach((tal, index) => {
      let texts = tal.texts;
      // EDF+ sec. 2.2.4: the first TAL of the first annotation signal of a record keeps time.
      if (span.slot === 0 && index === 0 && tal.texts[0] === "") {
        keeping[span.record] = tal.onset;
        texts = texts.slice(1);
      }
      for (const description of texts) {
        if (description !== "") {
          annotations.push({ onset: tal.onset, duration: tal.duration ?? 0, description });
        }
      }
    });
    if (span.slot === 0 && Number.isNaN(keeping[span.record])) {
      recoverable(
        span.offset,
        `record ${span.record} must start with a time-keeping TAL ("+onset" 0x14 0x14 0x00)`,
        new TextDecoder().decode(bytes.subarray(0, 24)),
        "the onset that follows the previous record",
      );
    }
  });
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
    recoverable(
      spanOffset(r, 0),
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
