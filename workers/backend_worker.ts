/**
 * Web Worker (module) that starts a tfjs backend and runs the smoke test, exposed through
 * comlink. A thin adapter: the work is done by lib/runtime.
 *
 * ```ts ignore
 * import { wrap } from "comlink";
 * import type { BackendWorkerApi } from "../workers/backend_worker.ts";
 * const worker = new Worker(new URL("./backend_worker.js", import.meta.url), { type: "module" });
 * const api = wrap<BackendWorkerApi>(worker);
 * const { report } = await api.init("webgpu");
 * ```
 *
 * @module
 */
import { expose } from "comlink";
import {
  type BackendReport,
  type BackendRequest,
  detectHost,
  type HostCapabilities,
  initBackend,
} from "../lib/runtime/mod.ts";
import { runSmokeTest, type SmokeTestResult } from "../lib/runtime/smoke_check.ts";

/** What {@linkcode BackendWorkerApi.init} returns. */
export interface WorkerInitResult {
  report: BackendReport;
  host: HostCapabilities;
}

/** The API this worker exposes. */
export interface BackendWorkerApi {
  /** Starts the requested tfjs backend inside the worker. */
  init(backend: BackendRequest): Promise<WorkerInitResult>;
  /** Runs the smoke test (a 64x64 matmul, a conv2d and its gradients) on that backend. */
  smokeTest(): Promise<SmokeTestResult>;
}

/**
 * The build copies the wasm backend's `.wasm` files next to this bundle, so they are
 * served from the worker's own folder and never from a CDN.
 */
const _WASM_PATHS = new URL("./", import.meta.url).href;

/** The worker's API, exposed to the page on load. */
const backendWorkerApi: BackendWorkerApi = {
  async init(backend) {
    const report = await initBackend({ backend, wasmPaths: _WASM_PATHS });
    return { report, host: detectHost() };
  },
  smokeTest() {
    return runSmokeTest();
  },
};

expose(backendWorkerApi);
