/**
 * The second core in the training benches: the data-parallel gradient split that
 * `train.data_parallel` uses (lib/train/data_parallel.ts), on the current CPU backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { DataParallelGradients, type ShardObjective } from "../../../lib/train/data_parallel.ts";
import { createGradientWorker } from "../gradient_worker.ts";

/** A gradient split of `model`'s train step with a worker on the current backend. */
export function benchDataParallel(
  model: tf.LayersModel,
  objective: ShardObjective,
): DataParallelGradients {
  return new DataParallelGradients({
    model,
    objective,
    createWorker: createGradientWorker,
    backend: tf.getBackend() as "wasm" | "cpu",
  });
}
