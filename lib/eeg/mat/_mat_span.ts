/**
 * A run of MAT-file bytes being parsed (the file itself, or one variable inflated from a
 * miCOMPRESSED element), the errors that point into it, and the data-element tag reader.
 *
 * @module
 */
import { MatFormatError } from "./mat_format_error.ts";
import { _typeName } from "./_mat_types.ts";

/** Bytes with their byte order and, for an inflated variable, where it came from. */
export interface _MatSpan {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
  /** File offset of the miCOMPRESSED element these bytes were inflated from. */
  inflatedFrom?: number;
}

/** A span over `bytes` in the given byte order. */
export function _span(bytes: Uint8Array, littleEndian: boolean, inflatedFrom?: number): _MatSpan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { bytes, view, littleEndian, inflatedFrom };
}

/** "byte 1234", or "byte 16 of the variable inflated from the miCOMPRESSED element at byte 128". */
export function _where(span: _MatSpan, offset: number): string {
  return span.inflatedFrom === undefined ? `byte ${offset}` : `byte ${offset} of the variable ` +
    `inflated from the miCOMPRESSED element at byte ${span.inflatedFrom}`;
}

/** A MatFormatError at `offset` of `span`, its byteOffset mapped back to the file. */
export function _formatError(
  span: _MatSpan,
  offset: number,
  field: string,
  message: string,
): MatFormatError {
  return new MatFormatError(message, { field, byteOffset: span.inflatedFrom ?? offset });
}

/** A data element's tag: its type, payload and where the next element starts. */
export interface _ElementTag {
  type: number;
  byteCount: number;
  /** Offset of the tag itself. */
  offset: number;
  /** Offset of the payload. */
  dataOffset: number;
  /** Offset of the next element (after the payload and, if `padded`, its 8-byte padding). */
  next: number;
}

/**
 * Reads the tag at `offset`, checking that the payload ends by `limit`. Small data
 * elements (upper 16 bits of the first word non-zero) pack a <= 4-byte payload with the
 * tag into 8 bytes; others are an 8-byte tag, the payload and, when `padded`, padding to
 * a multiple of 8 (which may be missing at `limit`). miCOMPRESSED elements are unpadded.
 */
export function _readTag(
  span: _MatSpan,
  offset: number,
  limit: number,
  field: string,
  padded = true,
): _ElementTag {
  const at = _where(span, offset);
  if (offset + 8 > limit) {
    throw _formatError(
      span,
      offset,
      field,
      `Cannot read the ${field} tag at ${at} as a data element tag takes 8 bytes before ` +
        `the end of its container at byte ${limit}: current value is ${limit - offset} bytes`,
    );
  }
  const word = span.view.getUint32(offset, span.littleEndian);
  if (word >>> 16 !== 0) {
    const byteCount = word >>> 16;
    if (byteCount > 4) {
      throw _formatError(
        span,
        offset,
        field,
        `Cannot read the ${field} small data element at ${at} as its byte count (upper ` +
          `16 bits of the tag) must be at most 4: current value is ${byteCount}`,
      );
    }
    return { type: word & 0xffff, byteCount, offset, dataOffset: offset + 4, next: offset + 8 };
  }
  const byteCount = span.view.getUint32(offset + 4, span.littleEndian);
  const dataOffset = offset + 8;
  if (byteCount > limit - dataOffset) {
    throw _formatError(
      span,
      offset,
      field,
      `Cannot read the ${field} (${_typeName(word)}) at ${at} as its payload must end by ` +
        `byte ${limit} (${limit - dataOffset} bytes left): current value is ${byteCount} bytes`,
    );
  }
  const end = dataOffset + byteCount;
  const next = padded ? Math.min(limit, end + ((8 - (byteCount % 8)) % 8)) : end;
  return { type: word, byteCount, offset, dataOffset, next };
}
