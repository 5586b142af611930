/**
 * Reads the EDF+ annotation signals of every data record: the annotations, and the
 * record onsets that the time-keeping TALs give (what makes EDF+D files discontinuous).
 *
 * @module
 */
import type { ByteSource } from "./byte_source.ts";
import type { EdfHeader, OnInvalid } from "./edf_header.ts";
import { _readSpans, type _Span } from "./_read_spans.ts";
import { _TimelineBuilder } from "./_timeline_builder.ts";

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
  const builder = new _TimelineBuilder(header, options);
  const annotationSignals = header.signals.filter((s) => s.isAnnotation);
  const { recordCount, recordBytes, headerBytes } = header;
  function* spans(): Generator<_Span> {
    for (let record = 0; record < recordCount; record++) {
      for (let slot = 0; slot < annotationSignals.length; slot++) {
        const { recordByteOffset, samplesPerRecord } = annotationSignals[slot];
        const offset = headerBytes + record * recordBytes + recordByteOffset;
        yield { offset, length: samplesPerRecord * header.bytesPerSample, record, slot };
      }
    }
  }
  await _readSpans(source, spans(), (span, bytes) => builder.add(span.record, span.slot, bytes));
  return builder.finish();
}
