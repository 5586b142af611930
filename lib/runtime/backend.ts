/**
 * Backend start-up: one call picks and initialises a tfjs backend and says what it chose.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
// Side-effect import: registers the "wasm" backend factory with tfjs.
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { type AdapterDescription, detectHost, probeWebGpuAdapter } from "./capabilities.ts";
import { lastWebGpuAdapter, registerWebGpuBackend } from "./webgpu_backend.ts";
import { registerWasmTrainingKernels } from "./wasm_kernels/mod.ts";

/** A backend that can be asked for by name. */
export type BackendName = "webgpu" | "wasm" | "cpu";
/** What a user may request: a backend, or `auto` to let the library choose. */
export type BackendRequest = BackendName | "auto";

/** The names accepted by {@linkcode initBackend}, for flag and config validation. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ["auto", "webgpu", "wasm", "cpu"];

/** Options for {@linkcode initBackend}. */
export interface InitBackendOptions {
  /** Which backend to use. Default "auto". */
  backend?: BackendRequest;
  /**
   * Where the wasm backend's `.wasm` files are served from (a URL prefix ending in "/").
   * Needed in browsers; Deno finds them next to the npm package.
   */
  wasmPaths?: string;
}

/** What {@linkcode initBackend} chose and why. */
export interface BackendReport {
  requested: BackendRequest;
  backend: BackendName;
  /** The WebGPU adapter, when the backend is webgpu. */
  adapter: AdapterDescription | null;
  /** One sentence on why this backend was chosen. */
  reason: string;
}

/** Thrown when a named backend cannot start here (e.g. webgpu without an adapter). */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendUnavailableError";
  }
}

async function _setBackend(name: BackendName): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new BackendUnavailableError(
      `Cannot start the ${name} backend: ${(error as Error).message}`,
    );
  }
  if (!ok) throw new BackendUnavailableError(`Cannot start the ${name} backend on this host`);
  await tf.ready();
}

/**
 * Initialises a tfjs backend.
 *
 * `auto` takes WebGPU when a hardware adapter exists; otherwise the wasm backend (a
 * software WebGPU adapter such as llvmpipe or SwiftShader is slower than wasm), and cpu
 * if wasm cannot load. Asking for `webgpu` where there is no adapter is an error.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const report = await initBackend({ backend: "cpu" });
 * console.assert(report.backend === "cpu");
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const requested = options.backend ?? "auto";
  if (!BACKEND_REQUESTS.includes(requested)) {
    throw new RangeError(
      `Cannot start a backend as it must be one of ${BACKEND_REQUESTS.join(", ")}: ` +
        `current value is "${requested}"`,
    );
  }
  // Jobs never print: silence tfjs's console hints (e.g. "install tfjs-node").
  tf.env().set("PROD", true);
  if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
  registerWebGpuBackend();
  registerWasmTrainingKernels();

  if (requested === "webgpu") {
    const caps = detectHost();
    if (!caps.hasWebGpuApi) {
      throw new BackendUnavailableError(
        "Cannot start the webgpu backend as this runtime has no WebGPU API (navigator.gpu)",
      );
    }
    if ((await probeWebGpuAdapter()) === null) {
      throw new BackendUnavailableError(
        "Cannot start the webgpu backend as no WebGPU adapter was found " +
          "(install a GPU driver, or mesa-vulkan-drivers for the lavapipe software adapter)",
      );
    }
    await _setBackend("webgpu");
    return {
      requested,
      backend: "webgpu",
      adapter: lastWebGpuAdapter(),
      reason: "webgpu was requested",
    };
  }
  if (requested === "wasm" || requested === "cpu") {
    await _setBackend(requested);
    return { requested, backend: requested, adapter: null, reason: `${requested} was requested` };
  }

  const adapter = await probeWebGpuAdapter();
  if (adapter !== null && !adapter.isSoftware) {
    await _setBackend("webgpu");
    return {
      requested,
      backend: "webgpu",
      adapter: lastWebGpuAdapter(),
      reason: `auto chose webgpu: hardware adapter "${adapter.description}"`,
    };
  }
  const why = adapter === null
    ? "no WebGPU adapter"
    : `only a software WebGPU adapter ("${adapter.description}")`;
  try {
    await _setBackend("wasm");
    return { requested, backend: "wasm", adapter: null, reason: `auto chose wasm: ${why}` };
  } catch (error) {
    await _setBackend("cpu");
    return {
      requested,
      backend: "cpu",
      adapter: null,
      reason: `auto chose cpu: ${why}, and wasm failed (${(error as Error).message})`,
    };
  }
}
