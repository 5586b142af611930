/**
 * Type and class codes of MAT Level 5 files (MATLAB "MAT-File Format", tables 1-1 and
 * 1-3), and what each maps to in TypeScript.
 *
 * @module
 */
import type { MatClassName, MatData, MatSkippedClass } from "./mat_array.ts";

export const MI_INT8 = 1;
export const MI_UINT8 = 2;
export const MI_INT16 = 3;
export const MI_UINT16 = 4;
export const MI_INT32 = 5;
export const MI_UINT32 = 6;
export const MI_SINGLE = 7;
export const MI_DOUBLE = 9;
export const MI_INT64 = 12;
export const MI_UINT64 = 13;
export const MI_MATRIX = 14;
export const MI_COMPRESSED = 15;
export const MI_UTF8 = 16;
export const MI_UTF16 = 17;
export const MI_UTF32 = 18;

/** A numeric storage type: its name in messages, item size and how to read one item. */
export interface _StorageType {
  name: string;
  size: number;
  bigint: boolean;
  read: (view: DataView, offset: number, littleEndian: boolean) => number | bigint;
}

const _STORAGE: (_StorageType | undefined)[] = [];
function _storage(code: number, name: string, size: number, read: _StorageType["read"]) {
  _STORAGE[code] = { name, size, bigint: size === 8 && code !== MI_DOUBLE, read };
}
_storage(MI_INT8, "miINT8", 1, (v, o) => v.getInt8(o));
_storage(MI_UINT8, "miUINT8", 1, (v, o) => v.getUint8(o));
_storage(MI_INT16, "miINT16", 2, (v, o, le) => v.getInt16(o, le));
_storage(MI_UINT16, "miUINT16", 2, (v, o, le) => v.getUint16(o, le));
_storage(MI_INT32, "miINT32", 4, (v, o, le) => v.getInt32(o, le));
_storage(MI_UINT32, "miUINT32", 4, (v, o, le) => v.getUint32(o, le));
_storage(MI_SINGLE, "miSINGLE", 4, (v, o, le) => v.getFloat32(o, le));
_storage(MI_DOUBLE, "miDOUBLE", 8, (v, o, le) => v.getFloat64(o, le));
_storage(MI_INT64, "miINT64", 8, (v, o, le) => v.getBigInt64(o, le));
_storage(MI_UINT64, "miUINT64", 8, (v, o, le) => v.getBigUint64(o, le));

/** The numeric storage type with this code, or undefined (miMATRIX, miUTF8, unknown). */
export function _numericStorage(code: number): _StorageType | undefined {
  return _STORAGE[code];
}

const _OTHER_TYPE_NAMES: Record<number, string> = {
  [MI_MATRIX]: "miMATRIX",
  [MI_COMPRESSED]: "miCOMPRESSED",
  [MI_UTF8]: "miUTF8",
  [MI_UTF16]: "miUTF16",
  [MI_UTF32]: "miUTF32",
};

/** A data type's name for messages, e.g. "miDOUBLE" or "type 99". */
export function _typeName(code: number): string {
  return _STORAGE[code]?.name ?? _OTHER_TYPE_NAMES[code] ?? `type ${code}`;
}

/** A decodable class: its name, the storage type it is natively held in, its typed array. */
export interface _DecodedClass {
  name: MatClassName;
  /** Storage type whose items have the class's own type (the fast, copying path). */
  nativeStorage: number;
  create: (length: number) => MatData;
}

export type _ClassEntry = _DecodedClass | { name: MatSkippedClass };

// Index = mxCLASS code. Logical arrays are mxUINT8 with the logical flag (see _classOf).
const _CLASSES: (_ClassEntry | undefined)[] = [
  undefined,
  { name: "cell" },
  { name: "struct" },
  { name: "object" },
  { name: "char", nativeStorage: MI_UINT16, create: (n) => new Uint16Array(n) },
  { name: "sparse" },
  { name: "double", nativeStorage: MI_DOUBLE, create: (n) => new Float64Array(n) },
  { name: "single", nativeStorage: MI_SINGLE, create: (n) => new Float32Array(n) },
  { name: "int8", nativeStorage: MI_INT8, create: (n) => new Int8Array(n) },
  { name: "uint8", nativeStorage: MI_UINT8, create: (n) => new Uint8Array(n) },
  { name: "int16", nativeStorage: MI_INT16, create: (n) => new Int16Array(n) },
  { name: "uint16", nativeStorage: MI_UINT16, create: (n) => new Uint16Array(n) },
  { name: "int32", nativeStorage: MI_INT32, create: (n) => new Int32Array(n) },
  { name: "uint32", nativeStorage: MI_UINT32, create: (n) => new Uint32Array(n) },
  { name: "int64", nativeStorage: MI_INT64, create: (n) => new BigInt64Array(n) },
  { name: "uint64", nativeStorage: MI_UINT64, create: (n) => new BigUint64Array(n) },
  { name: "function" },
  { name: "opaque" },
];

const _LOGICAL: _DecodedClass = {
  name: "logical",
  nativeStorage: MI_UINT8,
  create: (n) => new Uint8Array(n),
};

/** The class of an mxCLASS code and logical flag; undefined for an unknown code. */
export function _classOf(code: number, logical: boolean): _ClassEntry | undefined {
  if (logical && code === 9) return _LOGICAL;
  return _CLASSES[code];
}

/** True when a class entry is one `readMat` decodes. */
export function _isDecoded(entry: _ClassEntry): entry is _DecodedClass {
  return "create" in entry;
}

/** Why a skipped class is not decoded, for the variable listing. */
export function _skipNote(name: MatSkippedClass): string {
  return `${name} arrays are listed but not decoded: the reader decodes numeric, logical ` +
    "and char arrays only (SEED files hold nothing else)";
}
