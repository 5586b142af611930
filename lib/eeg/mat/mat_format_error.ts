/**
 * The error every fatal fault in a MAT file raises, carrying where it was found.
 *
 * @module
 */

/** Where a {@linkcode MatFormatError} was found. */
export interface MatFormatErrorOptions {
  /** The part at fault, e.g. "header", "array dimensions", "compressed data". */
  field: string;
  /**
   * Byte offset in the file where the faulty part starts. Inside a compressed variable
   * (which has no file offsets of its own) it is the offset of that variable's
   * miCOMPRESSED element, and the message also names the offset after decompression.
   */
  byteOffset: number;
}

/**
 * Unparseable, truncated or unsupported MAT-file bytes. A `SyntaxError` that names the
 * part at fault and its byte offset, so a caller (or the CLI's one-line error) can point
 * at the exact spot.
 *
 * @example
 * ```ts
 * import { MatFormatError } from "./mat_format_error.ts";
 * const error = new MatFormatError("Cannot read ...", { field: "header", byteOffset: 126 });
 * console.assert(error instanceof SyntaxError && error.byteOffset === 126);
 * ```
 */
export class MatFormatError extends SyntaxError {
  /** The part at fault, e.g. "header", "array dimensions", "compressed data". */
  readonly field: string;
  /** Byte offset in the file where the faulty part starts. */
  readonly byteOffset: number;

  constructor(message: string, options: MatFormatErrorOptions) {
    super(message);
    this.name = "MatFormatError";
    this.field = options.field;
    this.byteOffset = options.byteOffset;
  }
}
