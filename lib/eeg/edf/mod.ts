/**
 * EDF, EDF+ and BDF: parse headers, read samples lazily by channel and time range, read
 * annotations and record onsets, and write EDF+ files.
 *
 * @module
 */
export * from "./byte_source.ts";
export * from "./edf_format_error.ts";
export type * from "./edf_header.ts";
export * from "./parse_edf_header.ts";
export * from "./parse_tals.ts";
export * from "./signal_scale.ts";
export * from "./volts_per_unit.ts";
export * from "./edf_timeline.ts";
export * from "./edf_reader.ts";
export * from "./read_edf.ts";
export * from "./write_edf.ts";
