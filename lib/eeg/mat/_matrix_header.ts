/**
 * The first three sub-elements of a miMATRIX element: array flags, dimensions and name.
 *
 * @module
 */
import {
  type _ClassEntry,
  _classOf,
  _typeName,
  MI_INT32,
  MI_INT8,
  MI_UINT32,
  MI_UINT8,
} from "./_mat_types.ts";
import { _formatError, type _MatSpan, _readTag, _where } from "./_mat_span.ts";

// Flag bits of the array-flags word (bits 8-15; MAT-File Format, figure 1-7).
const _COMPLEX = 0x0800;
const _LOGICAL = 0x0200;

/** A miMATRIX element's flags, dimensions and name, and where its values start. */
export interface _MatrixHeader {
  classCode: number;
  classEntry: _ClassEntry;
  complex: boolean;
  dims: number[];
  name: string;
  /** Offset of the first sub-element after the name (the real part for numeric arrays). */
  bodyOffset: number;
  /** End of the miMATRIX payload. */
  end: number;
}

/** Parses the miMATRIX payload `[offset, end)` of `span` up to its name. */
export function _readMatrixHeader(span: _MatSpan, offset: number, end: number): _MatrixHeader {
  const flagsTag = _readTag(span, offset, end, "array flags");
  _expectType(span, flagsTag.offset, "array flags", flagsTag.type, MI_UINT32);
  if (flagsTag.byteCount !== 8) {
    throw _formatError(
      span,
      flagsTag.offset,
      "array flags",
      `Cannot read the array flags at ${_where(span, flagsTag.offset)} as they take 8 ` +
        `bytes: current value is ${flagsTag.byteCount} bytes`,
    );
  }
  const flags = span.view.getUint32(flagsTag.dataOffset, span.littleEndian);
  const classCode = flags & 0xff;
  const classEntry = _classOf(classCode, (flags & _LOGICAL) !== 0);
  if (classEntry === undefined) {
    throw _formatError(
      span,
      flagsTag.dataOffset,
      "array flags",
      `Cannot read the array class at ${_where(span, flagsTag.dataOffset)} as it must be ` +
        `an mxCLASS code from 1 to 17: current value is ${classCode}`,
    );
  }

  const dimsTag = _readTag(span, flagsTag.next, end, "array dimensions");
  _expectType(span, dimsTag.offset, "array dimensions", dimsTag.type, MI_INT32);
  if (dimsTag.byteCount % 4 !== 0 || dimsTag.byteCount < 8) {
    throw _formatError(
      span,
      dimsTag.offset,
      "array dimensions",
      `Cannot read the array dimensions at ${_where(span, dimsTag.offset)} as they must be ` +
        `at least 2 int32 values: current value is ${dimsTag.byteCount} bytes`,
    );
  }
  const dims: number[] = [];
  for (let o = dimsTag.dataOffset; o < dimsTag.dataOffset + dimsTag.byteCount; o += 4) {
    dims.push(span.view.getInt32(o, span.littleEndian));
  }
  if (dims.some((d) => d < 0)) {
    throw _formatError(
      span,
      dimsTag.dataOffset,
      "array dimensions",
      `Cannot read the array dimensions at ${_where(span, dimsTag.dataOffset)} as they ` +
        `must be non-negative: current value is [${dims.join(", ")}]`,
    );
  }

  const nameTag = _readTag(span, dimsTag.next, end, "array name");
  _expectType(span, nameTag.offset, "array name", nameTag.type, MI_INT8, MI_UINT8);
  let name = "";
  for (
    const byte of span.bytes.subarray(nameTag.dataOffset, nameTag.dataOffset + nameTag.byteCount)
  ) {
    name += String.fromCharCode(byte);
  }
  return {
    classCode,
    classEntry,
    complex: (flags & _COMPLEX) !== 0,
    dims,
    name,
    bodyOffset: nameTag.next,
    end,
  };
}

function _expectType(
  span: _MatSpan,
  offset: number,
  field: string,
  type: number,
  ...wanted: number[]
) {
  if (wanted.includes(type)) return;
  throw _formatError(
    span,
    offset,
    field,
    `Cannot read the ${field} at ${_where(span, offset)} as the ${field} must be stored ` +
      `as ${wanted.map(_typeName).join(" or ")}: current value is ${_typeName(type)}`,
  );
}
