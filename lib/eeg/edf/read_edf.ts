/**
 * Reads a whole EDF/EDF+/BDF file at once (what the benchmark times, and a shortcut for
 * small files).
 *
 * @module
 */
import { type ByteSource, bytesSource } from "./byte_source.ts";
import type { EdfHeader, EdfSignalHeader } from "./edf_header.ts";
import { type EdfOpenOptions, EdfReader } from "./edf_reader.ts";
import type { EdfAnnotation } from "./edf_timeline.ts";

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
 * Files up to this size are read in one call and decoded from memory: the signals and the
 * annotations then share one read instead of two passes over the data records.
 */
const _WHOLE_READ_BYTES = 256 << 20;

/**
 * Opens `source`, reads all ordinary signals (records concatenated as stored) and the
 * annotations. Files up to 256 MiB are read whole in one call; larger ones in chunks
 * (signals, then annotations).
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
  const reader = await EdfReader.open(await _wholeIfSmall(source), options);
  const block = await reader.readSignals();
  const annotations = await reader.readAnnotations();
  return {
    header: reader.header,
    signals: block.signals,
    data: block.data,
    annotations,
    warnings: reader.warnings,
  };
}

/** The source's bytes in memory when it is small enough and reads back in full, else the source. */
async function _wholeIfSmall(source: ByteSource): Promise<ByteSource> {
  if (!(source.size > 0 && source.size <= _WHOLE_READ_BYTES)) return source;
  const bytes = await source.read(0, source.size);
  // A short read (a file that shrank) is left to the reader, which reports where it failed.
  return bytes.length === source.size ? bytesSource(bytes) : source;
}
