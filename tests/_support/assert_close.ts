/**
 * Test support: element-wise closeness of numeric arrays with a stated tolerance.
 *
 * @module
 */
import { AssertionError } from "node:assert";

/** Asserts |a - b| <= atol + rtol * |b| element-wise, naming the first bad index. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: { rtol?: number; atol?: number; label?: string } = {},
): void {
  const { rtol = 1e-5, atol = 1e-6, label = "values" } = options;
  if (actual.length !== expected.length) {
    throw new AssertionError({
      message: `${label}: length ${actual.length} != expected ${expected.length}`,
    });
  }
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
      throw new AssertionError({
        message: `${label}[${i}]: ${actual[i]} vs expected ${expected[i]} ` +
          `(|diff| ${diff.toExponential(3)} > atol ${atol} + rtol ${rtol} * |expected|)`,
      });
    }
  }
}
