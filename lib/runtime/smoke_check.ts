/**
 * A small, deterministic computation that proves a backend really computes: a matrix
 * product, a convolution and its gradients. The same inputs give the same numbers on every
 * backend (up to float32 rounding), so a browser result can be compared with one from Deno.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options for {@linkcode runSmokeTest}. */
export interface SmokeTestOptions {
  /** Side of the square matrices multiplied. Default 64. */
  matrixSize?: number;
  /** Side of the square single-image input to the convolution. Default 16. */
  imageSize?: number;
}

/** The parts of the checksum, each a sum of absolute values (so errors cannot cancel). */
export interface SmokeTestParts {
  /** sum |A B| for the [n, n] matrices A and B. */
  matmul: number;
  /** mean(conv2d(x, w)^2), the convolution's loss. */
  convLoss: number;
  /** sum |d loss / d x|. */
  gradInput: number;
  /** sum |d loss / d w|. */
  gradFilter: number;
}

/** What {@linkcode runSmokeTest} measured. */
export interface SmokeTestResult {
  /** The tfjs backend the computation ran on. */
  backend: string;
  /** Sum of the parts: one number to compare across backends. */
  checksum: number;
  parts: SmokeTestParts;
  /** Wall time of the first run in milliseconds (includes kernel/shader compilation). */
  firstRunMs: number;
  /** Wall time of a second, warm run in milliseconds. */
  warmRunMs: number;
}

/** Deterministic values in [-0.5, 0.5): no RNG, so every backend sees the same input. */
function _pattern(length: number, phase: number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = 0.5 * Math.sin(0.37 * i + phase);
  return values;
}

function _check(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `Cannot run the smoke test as ${name} must be an integer >= ${min}: current value is ${value}`,
    );
  }
  return value;
}

async function _runOnce(n: number, side: number): Promise<SmokeTestParts> {
  const inChannels = 2;
  const outChannels = 4;
  const a = tf.tensor2d(_pattern(n * n, 0.1), [n, n]);
  const b = tf.tensor2d(_pattern(n * n, 1.3), [n, n]);
  const x = tf.tensor4d(_pattern(side * side * inChannels, 2.1), [1, side, side, inChannels]);
  const w = tf.tensor4d(_pattern(9 * inChannels * outChannels, 0.7), [
    3,
    3,
    inChannels,
    outChannels,
  ]);
  // loss(x, w) = mean(conv2d(x, w)^2); x: [1, H, W, 2], w: [3, 3, 2, 4], y: [1, H, W, 4]
  const loss = (xi: tf.Tensor, wi: tf.Tensor) =>
    tf.mean(tf.square(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, "same")));
  const outputs = tf.tidy(() => {
    const product = tf.sum(tf.abs(tf.matMul(a, b)));
    const { value, grads } = tf.valueAndGrads(loss)([x, w]);
    return [product, value, tf.sum(tf.abs(grads[0])), tf.sum(tf.abs(grads[1]))];
  });
  try {
    // GPU -> CPU sync point: always the async read (dataSync needs OffscreenCanvas in Deno).
    const [matmul, convLoss, gradInput, gradFilter] = await Promise.all(
      outputs.map(async (t) => (await t.data())[0]),
    );
    return { matmul, convLoss, gradInput, gradFilter };
  } finally {
    tf.dispose([a, b, x, w, ...outputs]);
  }
}

/**
 * Runs the smoke test twice on the current tfjs backend (call `initBackend` first) and
 * returns the checksum of the second run with both timings. Leaves no tensors behind.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * import { runSmokeTest } from "./smoke_check.ts";
 * await initBackend({ backend: "cpu" });
 * const result = await runSmokeTest();
 * console.assert(result.backend === "cpu" && result.checksum > 0);
 * ```
 */
export async function runSmokeTest(options: SmokeTestOptions = {}): Promise<SmokeTestResult> {
  const n = _check("matrixSize", options.matrixSize ?? 64, 1);
  const side = _check("imageSize", options.imageSize ?? 16, 3);
  await tf.ready();
  const backend = tf.getBackend();
  const t0 = performance.now();
  await _runOnce(n, side);
  const t1 = performance.now();
  const parts = await _runOnce(n, side);
  const t2 = performance.now();
  const checksum = parts.matmul + parts.convLoss + parts.gradInput + parts.gradFilter;
  return { backend, checksum, parts, firstRunMs: t1 - t0, warmRunMs: t2 - t1 };
}

/**
 * True when two checksums (or parts) agree to a relative tolerance: float32 kernels on
 * different backends sum in different orders, which moves the result by about 1e-7
 * relative. Default tolerance 1e-4.
 *
 * @example
 * ```ts
 * import { checksumsAgree } from "./smoke_check.ts";
 * console.assert(checksumsAgree(1000.01, 1000.0, 1e-4));
 * console.assert(!checksumsAgree(0.0031, 0.0030, 1e-4));
 * ```
 */
export function checksumsAgree(actual: number, expected: number, relTol = 1e-4): boolean {
  return Math.abs(actual - expected) <= relTol * Math.abs(expected);
}
