/**
 * Reads the numeric, logical and char variables of a MAT Level 5 file (SEED's
 * preprocessed EEG: `djc_eeg1` ... `djc_eeg15`, and `label`).
 *
 * @module
 */
import type { MatArray } from "./mat_array.ts";
import { _decodeMatrix } from "./_decode_matrix.ts";
import { _inflateMatrix, _scanMatFile } from "./_scan_mat_file.ts";

/** Options of {@linkcode readMat}. */
export interface ReadMatOptions {
  /**
   * Names of the variables to decode; others are not decoded (nor, when compressed,
   * inflated past their header). Default: every numeric, logical and char variable.
   */
  variables?: string[];
}

/**
 * Decodes the variables of a MAT Level 5 file (v5/v6/v7, compressed or not, either byte
 * order) into a map from name to {@linkcode MatArray}, in file order. Values keep the
 * MATLAB class (a double array stored compactly as miUINT8 still comes back as
 * Float64Array), column-major.
 *
 * Without `variables`, struct, cell, sparse and object variables are skipped (see
 * `listMatVariables`). Rejects with:
 * - `MatFormatError` (a SyntaxError with `byteOffset`) for bytes that are not a readable
 *   Level 5 file, including v7.3 (HDF5) and Level 4 files, with how to re-save them;
 * - `RangeError` when a requested name is not in the file (the message lists those that are);
 * - `TypeError` when a requested variable is of a class that is not decoded, e.g. a struct.
 *
 * @example
 * ```ts
 * import { readMat } from "./read_mat.ts";
 * import { getMatRow } from "./get_mat_row.ts";
 * // scipy.io.savemat("x.mat", {"x": [[1.5, 2.5, -1], [3.5, 4.5, 0.25]]}): header, then one variable.
 * const header = new TextEncoder().encode("MATLAB 5.0 MAT-file".padEnd(116));
 * const variable = Uint8Array.from(
 *   atob(
 *     "AAAAAAAAAAAAAUlNDgAAAGAAAAAGAAAACAAAAAYAAAAAAAAABQAAAAgAAAACAAAAAwAAAAEAAQB4AAAACQAAADAA" +
 *       "AAAAAAAAAAD4PwAAAAAAAAxAAAAAAAAABEAAAAAAAAASQAAAAAAAAPC/AAAAAAAA0D8=",
 *   ),
 *   (c) => c.charCodeAt(0),
 * );
 * const arrays = await readMat(new Uint8Array([...header, ...variable]), { variables: ["x"] });
 * const x = arrays.get("x")!;
 * console.assert(x.className === "double" && x.dims.join() === "2,3");
 * console.assert(x.data.join() === "1.5,3.5,2.5,4.5,-1,0.25"); // column-major
 * console.assert(getMatRow(x, 1).join() === "3.5,4.5,0.25");
 * ```
 */
export async function readMat(
  bytes: Uint8Array,
  options: ReadMatOptions = {},
): Promise<Map<string, MatArray>> {
  const wanted = options.variables;
  if (
    wanted !== undefined && !(Array.isArray(wanted) && wanted.every((n) => typeof n === "string"))
  ) {
    throw new TypeError(
      `Cannot read MAT variables as options.variables must be an array of names: current ` +
        `value is ${JSON.stringify(wanted)}`,
    );
  }
  const { span: file, entries } = await _scanMatFile(bytes);
  for (const name of wanted ?? []) {
    const entry = entries.find((e) => e.info.name === name);
    if (entry === undefined) {
      const available = entries.map((e) => JSON.stringify(e.info.name)).join(", ");
      throw new RangeError(
        `Cannot read MAT variable "${name}" as the file holds only ${
          available || "no variables"
        }: ` +
          `current value is "${name}"`,
      );
    }
    if (!entry.info.decodable) {
      throw new TypeError(
        `Cannot read MAT variable "${name}" as ${entry.info.note}: current value is class ` +
          `"${entry.info.className}"`,
      );
    }
  }
  const arrays = new Map<string, MatArray>();
  for (const entry of entries) {
    if (wanted ? !wanted.includes(entry.info.name) : !entry.info.decodable) continue;
    let { span, header } = entry;
    if (!entry.complete && entry.compressedTag) {
      ({ span, header } = await _inflateMatrix(file, entry.compressedTag, false));
    }
    arrays.set(entry.info.name, _decodeMatrix(span, header));
  }
  return arrays;
}
