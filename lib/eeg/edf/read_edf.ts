/**
 * Reads a whole EDF/EDF+/BDF file at once (what the benchmark times, and a shortcut for
 * small files).
 *
 * @module
 */
import type { ByteSource } from "./byte_source.ts";
import type { EdfHeader, EdfSignalHeader } from "./edf_header.ts";
import { type EdfOpenOptions, EdfReader } from "./edf_reader.ts";
import type { EdfAnnotation } from "./edf_timeline.ts";
import { signalScale } from "./signal_scale.ts";
import { _decodeSamples, _int16View } from "./_decode_samples.ts";
import { _readExactly } from "./_read_spans.ts";
import { _TimelineBuilder } from "./_timeline_builder.ts";

/** Everything in a file: every ordinary signal in full, and the annotations. */
export interface EdfRecordingData {
  header: EdfHeader;
  /** The ordinary (non-annotation) signals, in file order. */
  signals: EdfSignalHeader[];
  /** Physical values per signal, float32 in each signal's own unit. */
  data: Float32Array[];
  annotations: EdfAnnotation[];
  /** Header warnings and those found while reading annotations. */
  warnings: string[];
}

/**
 * Bytes per read of a source that offers `readInto`: whole records up to about this much go
 * into one buffer that is reused for every chunk, so the bytes are decoded while they are
 * still in the L2 cache and no fresh pages are faulted in per file.
 */
const _CHUNK_BYTES = 512 << 10;

/**
 * Opens `source` and reads all ordinary signals (records concatenated as stored) and the
 * annotations in one pass over the data records, in chunks of whole records.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import { readEdf } from "./read_edf.ts";
 * import { writeEdf } from "./write_edf.ts";
 * const bytes = writeEdf({
 *   signals: [{ label: "O1", sampleRateHz: 8, data: new Float32Array(16).fill(3), physicalMin: -100, physicalMax: 100 }],
 * });
 * const { data, signals } = await readEdf(bytesSource(bytes));
 * // Values come back within half a quantisation step (200 / 65535 here).
 * console.assert(signals[0].label === "O1" && data[0].length === 16 && Math.abs(data[0][5] - 3) < 0.002);
 * ```
 */
export async function readEdf(
  source: ByteSource,
  options: EdfOpenOptions = {},
): Promise<EdfRecordingData> {
  const reader = await EdfReader.open(source, options);
  const { header } = reader;
  const { recordCount, recordBytes, headerBytes, bytesPerSample } = header;
  const signals = header.signals.filter((s) => !s.isAnnotation);
  const data = signals.map((s) => new Float32Array(recordCount * s.samplesPerRecord));
  const scales = signals.map(signalScale);
  const timelineWarnings: string[] = [];
  const timeline = new _TimelineBuilder(header, {
    onInvalid: options.onInvalid,
    warnings: timelineWarnings,
  });
  const recordsPerChunk = Math.max(1, Math.floor(_CHUNK_BYTES / Math.max(1, recordBytes)));
  const scratch = source.readInto && recordBytes > 0
    ? new Uint8Array(Math.min(recordCount, recordsPerChunk) * recordBytes)
    : null;
  for (let first = 0; first < recordCount; first += recordsPerChunk) {
    const records = Math.min(recordsPerChunk, recordCount - first);
    const chunk = await _readExactly(
      source,
      headerBytes + first * recordBytes,
      records * recordBytes,
      scratch,
    );
    const int16 = bytesPerSample === 2 ? _int16View(chunk) : null;
    for (let r = 0; r < records; r++) {
      const recordIndex = r * recordBytes;
      for (let c = 0; c < signals.length; c++) {
        const { samplesPerRecord: n, recordByteOffset } = signals[c];
        _decodeSamples(
          chunk,
          bytesPerSample,
          recordIndex + recordByteOffset,
          n,
          data[c],
          (first + r) * n,
          scales[c].gain,
          scales[c].offset,
          int16,
        );
      }
      timeline.addRecord(first + r, chunk, recordIndex);
    }
  }
  return {
    header,
    signals,
    data,
    annotations: timeline.finish().annotations,
    warnings: [...reader.warnings, ...timelineWarnings],
  };
}
