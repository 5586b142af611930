/**
 * Lists the variables of a MAT file without decoding their values.
 *
 * @module
 */
import type { MatVariableInfo } from "./mat_array.ts";
import { _scanMatFile } from "./_scan_mat_file.ts";

/**
 * Names, classes and dimensions of every variable in a MAT Level 5 file, in file order.
 * Compressed variables are inflated only as far as their header. Struct, cell, sparse and
 * object variables are listed with `decodable: false` and a `note`.
 *
 * Rejects with a `MatFormatError` for bytes that are not a readable Level 5 file (naming
 * v7.3/HDF5 and Level 4 files and how to re-save them).
 *
 * @example
 * ```ts
 * import { listMatVariables } from "./list_mat_variables.ts";
 * // scipy.io.savemat("x.mat", {"x": [[1.5, 2.5, -1], [3.5, 4.5, 0.25]]}): header, then one variable.
 * const header = new TextEncoder().encode("MATLAB 5.0 MAT-file".padEnd(116));
 * const variable = Uint8Array.from(
 *   atob(
 *     "AAAAAAAAAAAAAUlNDgAAAGAAAAAGAAAACAAAAAYAAAAAAAAABQAAAAgAAAACAAAAAwAAAAEAAQB4AAAACQAAADAA" +
 *       "AAAAAAAAAAD4PwAAAAAAAAxAAAAAAAAABEAAAAAAAAASQAAAAAAAAPC/AAAAAAAA0D8=",
 *   ),
 *   (c) => c.charCodeAt(0),
 * );
 * const [info] = await listMatVariables(new Uint8Array([...header, ...variable]));
 * console.assert(info.name === "x" && info.className === "double" && info.dims.join() === "2,3");
 * ```
 */
export async function listMatVariables(bytes: Uint8Array): Promise<MatVariableInfo[]> {
  const { entries } = await _scanMatFile(bytes);
  return entries.map((entry) => entry.info);
}
