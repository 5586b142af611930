/**
 * MATLAB MAT files (Level 5: v5/v6/v7, compressed or not, either byte order), as SEED's
 * preprocessed EEG ships: list variables, decode numeric/logical/char arrays, read rows.
 * v7.3 (HDF5) and Level 4 files are refused with how to re-save them.
 *
 * @module
 */
export type * from "./mat_array.ts";
export * from "./mat_format_error.ts";
export * from "./list_mat_variables.ts";
export * from "./read_mat.ts";
export * from "./get_mat_row.ts";
