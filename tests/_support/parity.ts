/**
 * Test support: parity of training across backends. A test trains the same tiny model on
 * the same batch on each backend; these helpers start the backend, read the final weights,
 * keep the cpu run as the reference, compare per-step losses and final weights with it, and
 * register the wasm and webgpu tests. Each test keeps its own tolerances (and why).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type BackendName, initBackend } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "./assert_close.ts";
import { requireWebGpu, SKIP_WEBGPU } from "./webgpu.ts";

/** Absolute and relative tolerance of one comparison (see assertAllClose). */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Starts `backend` and checks that tfjs now runs on it. */
export async function useBackend(backend: BackendName): Promise<void> {
  const report = await initBackend({ backend });
  assert.equal(report.backend, backend);
  assert.equal(tf.getBackend(), backend);
}

/**
 * Each trainable weight's values, copied, by `originalName` (fixed by the model's builder,
 * without tfjs's uniquifying "_1" suffixes).
 */
export async function readWeights(model: tf.LayersModel): Promise<Map<string, Float32Array>> {
  const weights = new Map<string, Float32Array>();
  for (const w of model.trainableWeights) {
    const data = (await w.read().data()) as Float32Array;
    weights.set(w.originalName, Float32Array.from(data));
  }
  return weights;
}

/** `train("cpu")`, run on first use and its result shared by every test of the file. */
export function cpuReference<R>(train: (backend: BackendName) => Promise<R>): () => Promise<R> {
  let run: R | undefined;
  return async () => (run ??= await train("cpu"));
}

/** Asserts the per-step losses on `backend` match the cpu run's within `tolerance`. */
export function assertLossesMatch(
  got: readonly number[],
  ref: readonly number[],
  backend: string,
  tolerance: Tolerance,
): void {
  assertAllClose(got, ref, { ...tolerance, label: `${backend} loss` });
}

/** Asserts the final weights on `backend` (same names, same order) match the cpu run's. */
export function assertWeightsMatch(
  got: ReadonlyMap<string, Float32Array>,
  ref: ReadonlyMap<string, Float32Array>,
  backend: string,
  tolerance: Tolerance,
): void {
  assert.deepEqual([...got.keys()], [...ref.keys()]);
  for (const [name, expected] of ref) {
    assertAllClose(got.get(name)!, expected, { ...tolerance, label: `${backend} weight ${name}` });
  }
}

/** What {@linkcode registerTests} registers tests for. */
export interface RegisterTestsOptions<R> {
  /** Names the tests: "`what` training on wasm matches cpu: ...". */
  what: string;
  /** Trains the model on a backend. */
  train: (backend: BackendName) => Promise<R>;
  /** The cpu run (from {@linkcode cpuReference}). */
  reference: () => Promise<R>;
  /** Throws when `got` (on `backend`) does not match `ref`. */
  assertMatches: (got: R, ref: R, backend: string) => void;
}

/**
 * Registers the wasm test and the webgpu test (skipped outside CI without an adapter):
 * each trains on its backend and compares with the cpu run.
 */
export function registerTests<R>(options: RegisterTestsOptions<R>): void {
  const { what, train, reference, assertMatches } = options;
  Deno.test(`${what} training on wasm matches cpu: per-step losses and final weights`, async () => {
    const ref = await reference();
    const got = await train("wasm");
    assertMatches(got, ref, "wasm");
  });
  Deno.test({
    name: `${what} training on webgpu (lavapipe in CI) matches cpu: losses and weights`,
    ignore: SKIP_WEBGPU,
    async fn() {
      requireWebGpu();
      const ref = await reference();
      const got = await train("webgpu");
      assertMatches(got, ref, "webgpu");
    },
  });
}
