/**
 * What the MAT reader returns: decoded arrays and the listing of a file's variables.
 *
 * @module
 */

/** MATLAB numeric classes, each decoded into the typed array of the same type. */
export type MatNumericClass =
  | "double"
  | "single"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64";

/** Classes `readMat` decodes. */
export type MatClassName = MatNumericClass | "char" | "logical";

/** Classes that are listed but not decoded (SEED's files hold none of them). */
export type MatSkippedClass = "cell" | "struct" | "object" | "sparse" | "function" | "opaque";

/**
 * Values of a {@linkcode MatArray}, column-major as MATLAB stores them: Float64Array for
 * double, Float32Array for single, Int8Array ... BigUint64Array for the integer classes,
 * Uint8Array (0/1) for logical, Uint16Array of UTF-16 code units for char.
 */
export type MatData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/**
 * One decoded variable. A plain object (no methods) so it can be posted to a worker;
 * `getMatRow` reads one row of a 2-D matrix, e.g. one channel of a SEED trial.
 */
export interface MatArray {
  /** Variable name, e.g. "djc_eeg1". */
  name: string;
  /** MATLAB class, e.g. "double". The data's type follows it, not the storage type. */
  className: MatClassName;
  /** Dimensions as MATLAB reports them (at least 2), e.g. [62, 47001] channels x samples. */
  dims: number[];
  /** Values in column-major order: element (r, c) of a 2-D array is `data[r + c * dims[0]]`. */
  data: MatData;
  /** True for a complex array: `data` holds the real part and `imag` the imaginary part. */
  complex: boolean;
  /** Imaginary part of a complex array, same type and order as `data`. */
  imag?: MatData;
}

/** One variable as `listMatVariables` finds it, without decoding its values. */
export interface MatVariableInfo {
  /** Variable name. */
  name: string;
  /** MATLAB class ("double", "char", "struct", ...). */
  className: MatClassName | MatSkippedClass;
  /** Dimensions, e.g. [62, 47001]. */
  dims: number[];
  /** True for a complex numeric array. */
  complex: boolean;
  /** True when the variable is stored in a zlib-compressed (miCOMPRESSED) element. */
  compressed: boolean;
  /** File offset of the variable's data element (its tag). */
  byteOffset: number;
  /** False for classes `readMat` skips (struct, cell, sparse, ...). */
  decodable: boolean;
  /** Why a variable is not decodable, when it is not. */
  note?: string;
}
