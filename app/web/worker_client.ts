/**
 * Starts the backend worker and runs the smoke test through it.
 *
 * @module
 */
import { releaseProxy, type Remote, wrap } from "comlink";
import type { BackendRequest } from "../../lib/runtime/backend.ts";
import type { SmokeTestResult } from "../../lib/runtime/smoke_check.ts";
import type { BackendWorkerApi, WorkerInitResult } from "../../workers/backend_worker.ts";

/** Everything the page shows after a run. */
export interface SmokeRun extends WorkerInitResult {
  result: SmokeTestResult;
}

/**
 * Resolves the bundled worker next to the bundled page script. The build writes both
 * into the same folder (static/dist/), so this URL is only meaningful in the bundle.
 */
function _workerUrl(): URL {
  return new URL("./backend_worker.js", import.meta.url);
}

/**
 * Starts a fresh worker, initialises `backend` in it, runs the smoke test and stops the
 * worker. A fresh worker per run means no state leaks between backends.
 */
export async function runSmokeTestInWorker(backend: BackendRequest): Promise<SmokeRun> {
  const worker = new Worker(_workerUrl(), { type: "module", name: "backend-worker" });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      reject(new Error(`The worker could not start: ${event.message || "script error"}`));
    });
  });
  const api: Remote<BackendWorkerApi> = wrap<BackendWorkerApi>(worker);
  try {
    const init = await Promise.race([api.init(backend), failed]);
    const result = await Promise.race([api.smokeTest(), failed]);
    return { ...init, result };
  } finally {
    api[releaseProxy]();
    worker.terminate();
  }
}

/** Turns an error from the worker into one plain sentence for the page. */
export function describeError(error: unknown, backend: BackendRequest): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not registered for backend/.test(message)) {
    return `The ${backend} backend started, but it lacks a kernel the smoke test needs: ${message}.`;
  }
  return message;
}
