/**
 * Our own start-up for tfjs's WebGPU backend.
 *
 * tfjs-backend-webgpu 4.22 registers a factory that (1) reads `adapter.info` after
 * `requestDevice`, which Deno has invalidated by then, and (2) pushes
 * `["bgra8unorm-storage"]` (an array, not a string) into `requiredFeatures`, which Deno
 * rejects on adapters that offer the feature (real GPUs). This factory reads the info
 * first, asks for a correct feature list and the adapter's own buffer limits, and then
 * builds the same `WebGPUBackend`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { WebGPUBackend } from "@tensorflow/tfjs-backend-webgpu";
import { type AdapterDescription, describeAdapter } from "./capabilities.ts";

/** Features tfjs can use when present; anything else is left off. */
const _OPTIONAL_FEATURES: GPUFeatureName[] = ["timestamp-query", "bgra8unorm-storage"];

/** Limits tfjs sizes its programs by; we ask for what the adapter allows. */
const _LIMITS = [
  "maxComputeWorkgroupStorageSize",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupSizeX",
  "maxComputeInvocationsPerWorkgroup",
] as const;

let _lastAdapter: AdapterDescription | null = null;

/** The adapter that the last successful WebGPU start-up used, or null. */
export function lastWebGpuAdapter(): AdapterDescription | null {
  return _lastAdapter;
}

async function _createWebGpuBackend(): Promise<WebGPUBackend> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (gpu === undefined) {
    throw new Error("Cannot start the webgpu backend as navigator.gpu is missing");
  }
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) {
    throw new Error("Cannot start the webgpu backend as no WebGPU adapter was found");
  }
  // Read the info before requestDevice: Deno invalidates the adapter afterwards.
  const description = describeAdapter(adapter);
  const info = { ...description } as unknown as GPUAdapterInfo;
  const requiredFeatures = _OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of _LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  _lastAdapter = description;
  _releaseOnExit(device);
  return new WebGPUBackend(device, info);
}

/**
 * Frees the backend's buffers and destroys the device when the runtime unloads, so the
 * driver tears down an idle device. (We saw one "corrupted size vs. prev_size" abort at
 * exit of a Deno test run on lavapipe with a live device; an explicit release is the
 * orderly end in any case.) Browser workers have no unload event; they simply end.
 */
function _releaseOnExit(device: GPUDevice): void {
  const scope = globalThis as { addEventListener?: typeof addEventListener };
  if (typeof scope.addEventListener !== "function" || typeof document !== "undefined") return;
  scope.addEventListener("unload", () => {
    try {
      if (tf.engine().registry["webgpu"] !== undefined) tf.removeBackend("webgpu");
    } finally {
      device.destroy();
    }
  });
}

/**
 * Replaces tfjs's "webgpu" backend factory by ours. Idempotent; the backend is only
 * created when `tf.setBackend("webgpu")` is called.
 */
export function registerWebGpuBackend(): void {
  if (tf.engine().registryFactory["webgpu"] !== undefined) {
    // Keep an already-initialised instance; only replace an unused factory.
    if (tf.engine().registry["webgpu"] !== undefined) return;
    tf.removeBackend("webgpu");
  }
  tf.registerBackend("webgpu", _createWebGpuBackend, 3);
}
