/**
 * Decodes the values of a numeric, logical or char miMATRIX element, converting the
 * storage type (MATLAB stores e.g. a double array as miUINT8 when its values fit) to the
 * class's own type.
 *
 * @module
 */
import type { MatArray, MatData } from "./mat_array.ts";
import {
  type _DecodedClass,
  _numericStorage,
  _typeName,
  MI_INT16,
  MI_INT32,
  MI_INT8,
  MI_UINT16,
  MI_UINT32,
  MI_UINT8,
  MI_UTF16,
  MI_UTF32,
  MI_UTF8,
} from "./_mat_types.ts";
import { type _ElementTag, _formatError, type _MatSpan, _readTag, _where } from "./_mat_span.ts";
import type { _MatrixHeader } from "./_matrix_header.ts";

const _HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes a matrix whose class is decodable (numeric, logical or char). */
export function _decodeMatrix(span: _MatSpan, header: _MatrixHeader): MatArray {
  const decoded = header.classEntry as _DecodedClass;
  const count = header.dims.reduce((product, d) => product * d, 1);
  const { name, dims, complex } = header;
  if (count === 0 && header.bodyOffset >= header.end) {
    // Some writers leave the real part out of an empty array altogether.
    return { name, className: decoded.name, dims, data: decoded.create(0), complex };
  }
  const real = _readTag(span, header.bodyOffset, header.end, "real part");
  if (decoded.name === "char") {
    const data = _decodeChars(span, real, count, name);
    return { name, className: "char", dims, data, complex: false };
  }
  const data = _decodeNumbers(span, real, decoded, count, name);
  if (!complex) return { name, className: decoded.name, dims, data, complex };
  const imagTag = _readTag(span, real.next, header.end, "imaginary part");
  const imag = _decodeNumbers(span, imagTag, decoded, count, name);
  return { name, className: decoded.name, dims, data, complex, imag };
}

function _decodeNumbers(
  span: _MatSpan,
  tag: _ElementTag,
  decoded: _DecodedClass,
  count: number,
  name: string,
): MatData {
  const storage = _numericStorage(tag.type);
  const at = _where(span, tag.offset);
  if (storage === undefined) {
    throw _formatError(
      span,
      tag.offset,
      "values",
      `Cannot read the values of "${name}" at ${at} as they must be stored as a numeric ` +
        `type (miINT8 ... miUINT64, miSINGLE, miDOUBLE): current value is ${_typeName(tag.type)}`,
    );
  }
  _checkCount(span, tag, count, storage.size, storage.name, name);
  const out = decoded.create(count);
  const { view, littleEndian } = span;
  if (tag.type === decoded.nativeStorage && littleEndian === _HOST_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(
      span.bytes.subarray(tag.dataOffset, tag.dataOffset + tag.byteCount),
    );
    return out;
  }
  const bigintOut = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0, o = tag.dataOffset; i < count; i++, o += storage.size) {
    const value = storage.read(view, o, littleEndian);
    if (!bigintOut) {
      (out as Float64Array)[i] = Number(value);
    } else if (typeof value === "bigint") {
      (out as BigInt64Array)[i] = value;
    } else if (Number.isInteger(value)) {
      (out as BigInt64Array)[i] = BigInt(value);
    } else {
      throw _formatError(
        span,
        o,
        "values",
        `Cannot read value ${i} of the ${decoded.name} array "${name}" at ${_where(span, o)} ` +
          `as an integer class needs whole numbers: current value is ${value}`,
      );
    }
  }
  return out;
}

/** Char arrays: UTF-16 code units in column-major order. */
function _decodeChars(span: _MatSpan, tag: _ElementTag, count: number, name: string): Uint16Array {
  const bytes = span.bytes.subarray(tag.dataOffset, tag.dataOffset + tag.byteCount);
  const { view, littleEndian } = span;
  switch (tag.type) {
    case MI_UTF8: {
      const text = _utf8(span, tag, bytes, name);
      const units = new Uint16Array(text.length);
      for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
      return _checkUnits(span, tag, units, count, name);
    }
    case MI_INT8:
    case MI_UINT8:
      // One byte per character: Latin-1, as MATLAB writes char arrays that fit it.
      _checkCount(span, tag, count, 1, _typeName(tag.type), name);
      return Uint16Array.from(bytes);
    case MI_UTF16:
    case MI_INT16:
    case MI_UINT16: {
      _checkCount(span, tag, count, 2, _typeName(tag.type), name);
      const units = new Uint16Array(count);
      for (let i = 0; i < count; i++) {
        units[i] = view.getUint16(tag.dataOffset + 2 * i, littleEndian);
      }
      return units;
    }
    case MI_UTF32:
    case MI_INT32:
    case MI_UINT32: {
      // Code points to UTF-16; lone surrogates and out-of-range code points become U+FFFD,
      // as a UTF-32 decoder does.
      const units: number[] = [];
      for (let o = tag.dataOffset; o + 4 <= tag.dataOffset + tag.byteCount; o += 4) {
        let point = view.getUint32(o, littleEndian);
        if (point > 0x10ffff || (point >= 0xd800 && point < 0xe000)) point = 0xfffd;
        if (point < 0x10000) units.push(point);
        else units.push(0xd800 + ((point - 0x10000) >> 10), 0xdc00 + ((point - 0x10000) & 0x3ff));
      }
      return _checkUnits(span, tag, Uint16Array.from(units), count, name);
    }
    default:
      throw _formatError(
        span,
        tag.offset,
        "values",
        `Cannot read the char array "${name}" at ${_where(span, tag.offset)} as its text must ` +
          `be stored as miUTF8, miUTF16, miUTF32 or an integer type: current value is ` +
          _typeName(tag.type),
      );
  }
}

/** Checks that decoded text has as many UTF-16 code units as the dimensions say. */
function _checkUnits(
  span: _MatSpan,
  tag: _ElementTag,
  units: Uint16Array,
  count: number,
  name: string,
): Uint16Array {
  if (units.length === count) return units;
  throw _formatError(
    span,
    tag.offset,
    "values",
    `Cannot read the char array "${name}" at ${_where(span, tag.offset)} as its dimensions ` +
      `need ${count} UTF-16 code units: current value is ${units.length}`,
  );
}

function _utf8(span: _MatSpan, tag: _ElementTag, bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw _formatError(
      span,
      tag.dataOffset,
      "values",
      `Cannot read the char array "${name}" at ${_where(span, tag.dataOffset)} as miUTF8 ` +
        `text must be valid UTF-8: current value is ${bytes.length} bytes that are not ` +
        `(${(error as Error).message})`,
    );
  }
}

/** Checks that the payload holds exactly `count` items of `size` bytes (bounds allocation). */
function _checkCount(
  span: _MatSpan,
  tag: _ElementTag,
  count: number,
  size: number,
  typeName: string,
  name: string,
): void {
  if (tag.byteCount === count * size) return;
  throw _formatError(
    span,
    tag.offset,
    "values",
    `Cannot read the values of "${name}" at ${_where(span, tag.offset)} as its dimensions ` +
      `need ${count} ${typeName} values (${count * size} bytes): current value is ` +
      `${tag.byteCount} bytes`,
  );
}
