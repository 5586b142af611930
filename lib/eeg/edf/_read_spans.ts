/**
 * Private: reads many byte spans of a source in few calls, merging spans that lie close
 * together (so reading 3 of 64 channels does not read everything, and reading all of
 * them does not make one call per record and channel).
 *
 * @module
 */
import type { ByteSource } from "./byte_source.ts";
import { EdfFormatError } from "./edf_format_error.ts";

/** A span to read, with two tags the visitor gets back. */
export interface _Span {
  offset: number;
  length: number;
  record: number;
  slot: number;
}

/** Merge limits: spans closer than `maxGapBytes` share a read of at most `maxChunkBytes`. */
export interface _ReadLimits {
  maxChunkBytes: number;
  maxGapBytes: number;
}

/** Default limits: 8 MiB per read, merging over gaps under 64 KiB. */
export const _DEFAULT_LIMITS: _ReadLimits = { maxChunkBytes: 8 << 20, maxGapBytes: 64 << 10 };

/** Reads `spans` (in increasing offset order) and calls `visit` with each span's bytes. */
export function _readSpans(
  source: ByteSource,
  spans: Iterable<_Span>,
  visit: (span: _Span, bytes: Uint8Array) => void,
  limits: _ReadLimits = _DEFAULT_LIMITS,
): Promise<void> {
  return _readSpanChunks(
    source,
    spans,
    (span, chunk, index) => visit(span, chunk.subarray(index, index + span.length)),
    limits,
  );
}

/**
 * Like {@linkcode _readSpans}, but hands the visitor the whole chunk that holds the span
 * and the span's index in it (no view per span: the hot path of the sample reader).
 */
export async function _readSpanChunks(
  source: ByteSource,
  spans: Iterable<_Span>,
  visit: (span: _Span, chunk: Uint8Array, index: number) => void,
  limits: _ReadLimits = _DEFAULT_LIMITS,
): Promise<void> {
  let group: _Span[] = [];
  let start = 0;
  let end = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const chunk = await _readExactly(source, start, end - start);
    for (let i = 0; i < group.length; i++) visit(group[i], chunk, group[i].offset - start);
    group = [];
  };
  for (const span of spans) {
    if (span.length === 0) continue;
    const spanEnd = span.offset + span.length;
    if (
      group.length > 0 &&
      (span.offset - end > limits.maxGapBytes || spanEnd - start > limits.maxChunkBytes)
    ) {
      await flush();
    }
    if (group.length === 0) start = span.offset;
    group.push(span);
    end = spanEnd;
  }
  await flush();
}

/**
 * Exactly `length` bytes of `source` from `offset`: into `scratch` (its first `length`
 * bytes) when given and the source has `readInto`, else by `read`. A short read (a file
 * that ends early) is an EdfFormatError naming the byte where the data stops.
 */
export async function _readExactly(
  source: ByteSource,
  offset: number,
  length: number,
  scratch: Uint8Array | null = null,
): Promise<Uint8Array> {
  let chunk: Uint8Array;
  if (scratch !== null && source.readInto && scratch.length >= length) {
    const target = scratch.subarray(0, length);
    chunk = target.subarray(0, await source.readInto(offset, target));
  } else {
    chunk = await source.read(offset, length);
  }
  if (chunk.length !== length) {
    throw new EdfFormatError(
      `Cannot read EDF data at byte ${offset} as the source must return ${length} bytes: ` +
        `current value is ${chunk.length} bytes`,
      { field: "data record", byteOffset: offset + chunk.length },
    );
  }
  return chunk;
}
