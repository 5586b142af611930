/**
 * What every training job (classifier, segmentation) takes from its host, the CLI or a
 * browser worker: where the run goes, the started backend, resume, progress, stop, extra
 * run facts and the gradient worker for two-core training; and starting that split.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Storage } from "../io/storage.ts";
import type { BackendReport } from "../runtime/backend.ts";
import type { ProgressListener } from "./progress.ts";
import { DataParallelGradients, type ShardObjective } from "./data_parallel.ts";

/** The host-given options of a training job. */
export interface TrainingJobHost {
  /** Where the run folder is written. */
  runStorage: Storage;
  /** The backend the caller started (saved in run.json). */
  backend: BackendReport;
  /** Continue from checkpoints/last. */
  resume?: boolean;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Extra facts for run.json (e.g. the Deno version). */
  runInfo?: Record<string, unknown>;
  /**
   * Starts a gradient worker (workers/gradient_worker.ts); with `train.data_parallel` each
   * batch is split between this thread and it. Without it the option is an error.
   */
  createWorker?: () => Worker;
  /**
   * Starts a tile worker (workers/tile_worker.ts): whole-field evaluation after
   * segmentation training splits each batch of tiles with it (`infer.data_parallel`).
   */
  createTileWorker?: () => Worker;
}

/**
 * The two-core gradient split of a job, started and ready, when `requested` and the backend
 * is a CPU one; undefined otherwise. On WebGPU the device already works in parallel and a
 * second worker would only compete for it (run.json records what was used).
 *
 * @throws {RangeError} when it is requested but the host gives no worker.
 */
export async function startDataParallel(
  host: TrainingJobHost,
  requested: boolean,
  options: { model: tf.LayersModel; objective: ShardObjective },
): Promise<DataParallelGradients | undefined> {
  if (!requested || host.backend.backend === "webgpu") return undefined;
  if (host.createWorker === undefined) {
    throw new RangeError(
      "Cannot train data-parallel as this host gives no worker: current value of " +
        "train.data_parallel is true",
    );
  }
  const parallel = new DataParallelGradients({
    model: options.model,
    objective: options.objective,
    createWorker: host.createWorker,
    backend: host.backend.backend,
  });
  await parallel.ready();
  return parallel;
}
