/**
 * What every training job (classifier, segmentation) takes from its host, the CLI or a
 * browser worker: where the run goes, the started backend, resume, progress, stop, extra
 * run facts and the gradient worker for two-core training.
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import type { BackendReport } from "../runtime/backend.ts";
import type { ProgressListener } from "./progress.ts";

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
}
