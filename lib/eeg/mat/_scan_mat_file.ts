/**
 * Walks the top-level data elements of a MAT Level 5 file, reading each variable's flags,
 * dimensions and name; a compressed variable is inflated only as far as its header.
 *
 * @module
 */
import type { MatVariableInfo } from "./mat_array.ts";
import { MatFormatError } from "./mat_format_error.ts";
import { _parseMatHeader } from "./_mat_header.ts";
import { _isDecoded, _skipNote, _typeName, MI_COMPRESSED, MI_MATRIX } from "./_mat_types.ts";
import { type _ElementTag, _formatError, type _MatSpan, _readTag, _span } from "./_mat_span.ts";
import { type _MatrixHeader, _readMatrixHeader } from "./_matrix_header.ts";
import { _Inflater } from "./_inflater.ts";

/** Inflated bytes read to find a compressed variable's header (more only if it is longer). */
const _HEADER_PREFIX_BYTES = 4096;
/** zlib's deflate expands at most 1032:1 (RFC 1951 stored/fixed blocks; zlib tech notes). */
const _MAX_INFLATE_RATIO = 1032;

/** A variable found in the file: its listing, and the span and header to decode it from. */
export interface _MatEntry {
  info: MatVariableInfo;
  span: _MatSpan;
  header: _MatrixHeader;
  /** False when `span` holds only the start of a compressed variable. */
  complete: boolean;
  /** The miCOMPRESSED element's tag, for compressed variables. */
  compressedTag?: _ElementTag;
}

/** The file's span (byte order from the header) and its variables in file order. */
export async function _scanMatFile(
  bytes: Uint8Array,
): Promise<{ span: _MatSpan; entries: _MatEntry[] }> {
  const fileHeader = _parseMatHeader(bytes);
  const span = _span(bytes, fileHeader.littleEndian);
  const entries: _MatEntry[] = [];
  for (let offset = 128; offset < bytes.length;) {
    const tag = _readTag(span, offset, bytes.length, "variable", false);
    // miMATRIX payloads are padded to 8 bytes; miCOMPRESSED ones are not.
    const padding = tag.type === MI_COMPRESSED ? 0 : (8 - (tag.byteCount % 8)) % 8;
    const next = Math.min(bytes.length, tag.next + padding);
    if (offset === fileHeader.subsystemOffset) {
      offset = next; // MATLAB's class/function-handle subsystem data, not a variable.
      continue;
    }
    if (tag.type === MI_MATRIX) {
      const header = _readMatrixHeader(span, tag.dataOffset, tag.dataOffset + tag.byteCount);
      entries.push({ info: _info(header, tag, false), span, header, complete: true });
    } else if (tag.type === MI_COMPRESSED) {
      const inflated = await _inflateMatrix(span, tag, true);
      entries.push({ info: _info(inflated.header, tag, true), ...inflated, compressedTag: tag });
    } else {
      throw _formatError(
        span,
        offset,
        "variable",
        `Cannot read the variable at byte ${offset} as top-level data elements must be ` +
          `miMATRIX or miCOMPRESSED: current value is ${_typeName(tag.type)}`,
      );
    }
    offset = next;
  }
  return { span, entries };
}

function _info(header: _MatrixHeader, tag: _ElementTag, compressed: boolean): MatVariableInfo {
  const { name, dims, complex, classEntry } = header;
  const info: MatVariableInfo = {
    name,
    className: classEntry.name,
    dims,
    complex,
    compressed,
    byteOffset: tag.offset,
    decodable: _isDecoded(classEntry),
  };
  if (!_isDecoded(classEntry)) info.note = _skipNote(classEntry.name);
  return info;
}

/**
 * Inflates the miMATRIX element inside a miCOMPRESSED one: only its first few KiB when
 * `headerOnly` (enough for flags, dimensions and name), else all of it. A full read goes
 * to the end of the zlib stream, so its Adler-32 checksum is checked, and the output must
 * be exactly as long as the inner miMATRIX tag says (as SciPy's loadmat checks by default);
 * that catches corrupt compressed values, which could otherwise inflate to garbage.
 */
export async function _inflateMatrix(
  file: _MatSpan,
  tag: _ElementTag,
  headerOnly: boolean,
): Promise<{ span: _MatSpan; header: _MatrixHeader; complete: boolean }> {
  const compressed = file.bytes.subarray(tag.dataOffset, tag.dataOffset + tag.byteCount);
  const inflater = new _Inflater(compressed);
  const fail = (message: string) =>
    new MatFormatError(
      `Cannot inflate the miCOMPRESSED element at byte ${tag.offset} as ${message}`,
      { field: "compressed data", byteOffset: tag.offset },
    );
  try {
    let out = await inflater.readAtLeast(8);
    if (out.length < 8) {
      throw fail(`it must hold a data element tag (8 bytes): current value is ${out.length} bytes`);
    }
    const head = _span(out, file.littleEndian, tag.offset);
    const innerType = head.view.getUint32(0, file.littleEndian);
    if (innerType !== MI_MATRIX) {
      throw fail(`it must hold a miMATRIX element: current value is ${_typeName(innerType)}`);
    }
    const total = 8 + head.view.getUint32(4, file.littleEndian);
    if (total > _MAX_INFLATE_RATIO * compressed.length + 64) {
      throw fail(
        `its ${compressed.length} bytes inflate to at most ${_MAX_INFLATE_RATIO} times as ` +
          `many: current value is a miMATRIX of ${total} bytes`,
      );
    }
    out = await inflater.readAtLeast(headerOnly ? Math.min(total, _HEADER_PREFIX_BYTES) : Infinity);
    for (;;) {
      const complete = out.length >= total;
      const span = _span(
        out.subarray(0, Math.min(out.length, total)),
        file.littleEndian,
        tag.offset,
      );
      if (out.length > total || (!complete && inflater.done)) {
        throw fail(
          `its miMATRIX tag declares ${total} bytes: current value is ${out.length} bytes ` +
            "once inflated",
        );
      }
      try {
        return { span, header: _readMatrixHeader(span, 8, span.bytes.length), complete };
      } catch (error) {
        // A header longer than the prefix (a huge name or many dimensions): inflate it all.
        if (complete || !(error instanceof MatFormatError)) throw error;
        out = await inflater.readAtLeast(Infinity);
      }
    }
  } catch (error) {
    if (error instanceof MatFormatError) throw error;
    throw fail(
      `it must be a valid zlib stream: current value is a stream that fails with "${
        (error as Error).message
      }"`,
    );
  } finally {
    inflater.cancel();
  }
}
