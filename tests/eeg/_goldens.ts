/**
 * Test support for lib/eeg: the JSON goldens written by make_signal_goldens.py, and a
 * closeness check whose absolute tolerance scales with the golden's largest magnitude
 * (spectra and filtered signals cross zero, where a purely relative test means nothing).
 *
 * @module
 */
import { assertAllClose } from "../_support/assert_close.ts";

/** Reads tests/eeg/fixtures/<name>. */
export async function readGolden<T = Record<string, unknown>>(name: string): Promise<T> {
  const url = new URL(`./fixtures/${name}`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url)) as T;
}

/** Nested number arrays (or arrays of typed arrays) flattened row-major. */
export function flat(values: unknown): Float64Array {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v instanceof Float32Array || v instanceof Float64Array) out.push(...v);
    else out.push(v as number);
  };
  walk(values);
  return Float64Array.from(out);
}

/** `[channels][samples]` JSON as float32 channels (the goldens' inputs are float32 values). */
export function channels(values: number[][]): Float32Array[] {
  return values.map((row) => Float32Array.from(row));
}

/** The largest |value|. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/**
 * |actual - expected| <= rtol |expected| + atolFraction * max|expected|, element-wise.
 * Returns the largest error relative to max|expected|, for reporting.
 */
export function assertCloseToGolden(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: { rtol?: number; atolFraction: number; label: string },
): number {
  const scale = maxAbs(expected);
  const atol = options.atolFraction * scale;
  assertAllClose(actual, expected, { rtol: options.rtol ?? 1e-4, atol, label: options.label });
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst / scale;
}
