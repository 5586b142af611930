/**
 * The 128-byte header of a MAT Level 5 file, and clear refusals of the formats this reader
 * does not read (v7.3 / HDF5, Level 4).
 *
 * @module
 */
import { MatFormatError } from "./mat_format_error.ts";

/** What the header says. */
export interface _MatHeader {
  /** The descriptive text, e.g. "MATLAB 5.0 MAT-file, Platform: GLNXA64, ...". */
  text: string;
  littleEndian: boolean;
  /** Offset of the subsystem-data element, or undefined when there is none. */
  subsystemOffset?: number;
}

const _HEADER_BYTES = 128;
const _HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const _RESAVE = "re-save it as a Level 5 file with save(..., '-v7') in MATLAB or " +
  "scipy.io.savemat(...) in Python";

function _latin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function _quote(bytes: Uint8Array): string {
  // deno-lint-ignore no-control-regex
  return JSON.stringify(_latin1(bytes).replace(/[\x00-\x1f\x7f-\xff]/g, "?"));
}

/**
 * Whether the file starts like a MATLAB Level 4 (v4) matrix: a type word MOPT (M machine
 * 0-4, O 0, P precision 0-5, T matrix type 0-2) then rows, columns, imagf 0/1 and a name
 * length, in either byte order.
 */
function _looksLikeLevel4(bytes: Uint8Array): boolean {
  if (bytes.length < 20) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 20);
  return [true, false].some((le) => {
    const [type, rows, cols, imagf, nameLength] = [0, 4, 8, 12, 16].map((o) =>
      view.getInt32(o, le)
    );
    const [m, o, p, t] = [
      Math.floor(type / 1000),
      Math.floor(type / 100) % 10,
      Math.floor(type / 10) % 10,
      type % 10,
    ];
    return type >= 0 && m <= 4 && o === 0 && p <= 5 && t <= 2 && rows >= 0 && cols >= 0 &&
      (imagf === 0 || imagf === 1) && nameLength > 0 && nameLength < 64;
  });
}

function _v73Error(byteOffset: number, found: string): MatFormatError {
  return new MatFormatError(
    "Cannot read a MATLAB v7.3 MAT file as it is an HDF5 container, which this reader " +
      `does not read; ${_RESAVE}: current value is ${found}`,
    { field: "header", byteOffset },
  );
}

/** Parses and checks the header; throws MatFormatError naming the format when it is not v5. */
export function _parseMatHeader(bytes: Uint8Array): _MatHeader {
  const text = _latin1(bytes.subarray(0, 116)).replace(/[\0 ]+$/, "");
  if (text.startsWith("MATLAB 7.3")) {
    throw _v73Error(0, `header text ${_quote(bytes.subarray(0, 19))}`);
  }
  if (bytes.length >= 520 && _HDF5_SIGNATURE.every((b, i) => bytes[512 + i] === b)) {
    throw _v73Error(512, "the HDF5 signature \\x89HDF\\r\\n\\x1a\\n at byte 512");
  }
  const level4 = _looksLikeLevel4(bytes)
    ? `; it looks like a MATLAB Level 4 (v4) file, which this reader does not read; ${_RESAVE}`
    : "";
  if (bytes.length < _HEADER_BYTES) {
    throw new MatFormatError(
      "Cannot read the MAT file header as a Level 5 file starts with a 128-byte header" +
        `${level4}: current value is ${bytes.length} bytes`,
      { field: "header", byteOffset: bytes.length },
    );
  }
  const indicator = String.fromCharCode(bytes[126], bytes[127]);
  if (indicator !== "IM" && indicator !== "MI") {
    throw new MatFormatError(
      'Cannot read the MAT file header as bytes 126-127 must hold the endian indicator "IM" ' +
        `(little-endian) or "MI" (big-endian) of a Level 5 file${level4}: current value is ` +
        _quote(bytes.subarray(126, 128)),
      { field: "endian indicator", byteOffset: 126 },
    );
  }
  const littleEndian = indicator === "IM";
  const view = new DataView(bytes.buffer, bytes.byteOffset, _HEADER_BYTES);
  const version = view.getUint16(124, littleEndian);
  if (version === 0x0200) throw _v73Error(124, "version 0x0200 at byte 124");
  if (version !== 0x0100) {
    throw new MatFormatError(
      "Cannot read the MAT file header as bytes 124-125 must hold version 0x0100 of a " +
        `Level 5 file: current value is 0x${version.toString(16).padStart(4, "0")}`,
      { field: "version", byteOffset: 124 },
    );
  }
  // Bytes 116-123: subsystem data offset; all zeros or all spaces when there is none.
  const subsystem = view.getBigUint64(116, littleEndian);
  const none = subsystem === 0n || subsystem === 0x2020202020202020n;
  const subsystemOffset = none || subsystem > BigInt(bytes.length) ? undefined : Number(subsystem);
  return { text, littleEndian, subsystemOffset };
}
