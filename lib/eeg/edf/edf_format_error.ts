/**
 * The error every fatal fault in an EDF/BDF file raises, carrying where it was found.
 *
 * @module
 */

/** Where an {@linkcode EdfFormatError} was found. */
export interface EdfFormatErrorOptions {
  /** The header field or data part at fault, e.g. "number of data records". */
  field: string;
  /** Byte offset in the file where the faulty field or data starts. */
  byteOffset: number;
  /** Index of the signal when the field belongs to one signal's header. */
  signalIndex?: number;
}

/**
 * Unparseable or inconsistent EDF/BDF bytes. A `SyntaxError` that names the field and the
 * byte offset, so a caller (or the CLI's one-line error) can point at the exact spot.
 *
 * @example
 * ```ts
 * import { EdfFormatError } from "./edf_format_error.ts";
 * const error = new EdfFormatError("Cannot read EDF header field ...", {
 *   field: "number of data records",
 *   byteOffset: 236,
 * });
 * console.assert(error instanceof SyntaxError && error.byteOffset === 236);
 * ```
 */
export class EdfFormatError extends SyntaxError {
  /** The header field or data part at fault. */
  readonly field: string;
  /** Byte offset in the file where the faulty field or data starts. */
  readonly byteOffset: number;
  /** Index of the signal, when the field belongs to one signal's header. */
  readonly signalIndex?: number;

  constructor(message: string, options: EdfFormatErrorOptions) {
    super(message);
    this.name = "EdfFormatError";
    this.field = options.field;
    this.byteOffset = options.byteOffset;
    if (options.signalIndex !== undefined) this.signalIndex = options.signalIndex;
  }
}
