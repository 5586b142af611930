/**
 * One row of a 2-D MAT array as float32, e.g. one channel of a SEED trial (62 x samples).
 *
 * @module
 */
import type { MatArray } from "./mat_array.ts";

/**
 * Row `row` of a 2-D numeric or logical array, as a new Float32Array of `dims[1]` values
 * (the real part of a complex array). MATLAB stores matrices column-major, so the row is
 * gathered with stride `dims[0]`.
 *
 * @example
 * ```ts
 * import { getMatRow } from "./get_mat_row.ts";
 * import type { MatArray } from "./mat_array.ts";
 * // A 2 x 3 double matrix [[1, 2, 3], [4, 5, 6]], column-major as readMat returns it.
 * const x: MatArray = {
 *   name: "x", className: "double", dims: [2, 3], complex: false,
 *   data: new Float64Array([1, 4, 2, 5, 3, 6]),
 * };
 * console.assert(getMatRow(x, 1).join() === "4,5,6");
 * ```
 */
export function getMatRow(array: MatArray, row: number): Float32Array {
  const { dims, data, name, className } = array;
  if (dims.length !== 2) {
    throw new TypeError(
      `Cannot get a row of MAT array "${name}" as it must be 2-D: current value is dims ` +
        `[${dims.join(", ")}]`,
    );
  }
  if (className === "char") {
    throw new TypeError(
      `Cannot get a row of MAT array "${name}" as it must be numeric or logical: current ` +
        `value is class "char"`,
    );
  }
  const [rows, cols] = dims;
  if (!Number.isInteger(row) || row < 0 || row >= rows) {
    throw new RangeError(
      `Cannot get row ${row} of MAT array "${name}" as it must be an integer in [0, ` +
        `${rows - 1}]: current value is ${row}`,
    );
  }
  const out = new Float32Array(cols);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let c = 0; c < cols; c++) out[c] = Number(data[row + c * rows]);
  } else {
    for (let c = 0; c < cols; c++) out[c] = data[row + c * rows];
  }
  return out;
}
