/**
 * Runs a segmentation in a fresh segment worker: reads the chosen files' bytes, hands
 * them over (transferred, not copied), forwards progress and stops the worker at the end.
 *
 * @module
 */
import { proxy, releaseProxy, type Remote, transfer, wrap } from "comlink";
import type { BackendReport, BackendRequest } from "../../lib/runtime/backend.ts";
import type { ProgressEvent } from "../../lib/train/progress.ts";
import type {
  DroppedFile,
  InferSettings,
  SegmentResult,
  SegmentWorkerApi,
} from "../../workers/segment_worker.ts";
import type { PickedFile } from "./file_drop.tsx";

/** What {@linkcode segmentInWorker} segments. */
export interface SegmentInput {
  runFiles: PickedFile[];
  images: PickedFile[];
  /** Empty: no evaluation. */
  masks: PickedFile[];
  infer: Partial<InferSettings>;
}

/** Options of {@linkcode segmentInWorker}. */
export interface SegmentInWorkerOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting stops the worker at once. */
  signal?: AbortSignal;
}

/** A finished segmentation and where it ran. */
export interface SegmentRun {
  report: BackendReport;
  result: SegmentResult;
  elapsedMs: number;
}

/** The bundled worker, next to the bundled page script (both in static/dist/). */
function _workerUrl(): URL {
  return new URL("./segment_worker.js", import.meta.url);
}

async function _bytes(files: PickedFile[]): Promise<DroppedFile[]> {
  return await Promise.all(
    files.map(async ({ path, file }) => ({
      path,
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}

/**
 * Starts a worker, initialises `backend` in it, segments `input` and stops the worker.
 * A fresh worker per run frees all of tfjs's memory when the run ends.
 */
export async function segmentInWorker(
  backend: BackendRequest,
  input: SegmentInput,
  options: SegmentInWorkerOptions = {},
): Promise<SegmentRun> {
  const started = performance.now();
  const worker = new Worker(_workerUrl(), { type: "module", name: "segment-worker" });
  const stopped = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      reject(new Error(`The worker could not start: ${event.message || "script error"}`));
    });
    options.signal?.addEventListener("abort", () => reject(new Error("Cancelled.")));
  });
  // Raced below; this handler keeps a late abort from being an unhandled rejection.
  stopped.catch(() => {});
  const api: Remote<SegmentWorkerApi> = wrap<SegmentWorkerApi>(worker);
  try {
    const [runFiles, images, masks] = await Promise.all(
      [input.runFiles, input.images, input.masks].map(_bytes),
    );
    const report = await Promise.race([api.init(backend), stopped]);
    const request = { runFiles, images, masks, infer: input.infer };
    const buffers = [...runFiles, ...images, ...masks].map((f) => f.bytes.buffer as ArrayBuffer);
    const onProgress = proxy((event: ProgressEvent) => options.onProgress?.(event));
    const result = await Promise.race([
      api.segment(transfer(request, buffers), onProgress),
      stopped,
    ]);
    return { report, result, elapsedMs: performance.now() - started };
  } finally {
    api[releaseProxy]();
    worker.terminate();
  }
}

/** The first line of an error from the worker, for the page. */
export function describeSegmentError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}
