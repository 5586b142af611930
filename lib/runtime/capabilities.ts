/**
 * Where the library is running, decided in one place so that no other module has to
 * sniff `Deno`, `window` or `navigator` itself.
 *
 * @module
 */

/** The host environment family. */
export type HostKind = "deno" | "browser" | "other";

/** What the current global scope offers, read synchronously. */
export interface HostCapabilities {
  /** "deno" for the Deno CLI (main thread or worker), "browser" for pages and browser workers. */
  host: HostKind;
  /** Deno version, when running in Deno. */
  denoVersion?: string;
  /** True inside a dedicated Web Worker (browser or Deno). */
  isWorker: boolean;
  /** True when `navigator.gpu` exists (an adapter may still be missing). */
  hasWebGpuApi: boolean;
  /** True when SharedArrayBuffer may be used (browser cross-origin isolation, or Deno). */
  sharedMemory: boolean;
  /** Logical CPU cores reported by the host (at least 1). */
  hardwareConcurrency: number;
}

/** The WebGPU adapter as seen before a device is requested. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU rasterisers (llvmpipe/lavapipe, SwiftShader) and fallback adapters. */
  isSoftware: boolean;
}

interface _DenoLike {
  version?: { deno?: string };
}

/**
 * Reads the host's capabilities.
 *
 * @example
 * ```ts
 * import { detectHost } from "./capabilities.ts";
 * const caps = detectHost();
 * console.assert(caps.hardwareConcurrency >= 1);
 * ```
 */
export function detectHost(): HostCapabilities {
  const g = globalThis as unknown as Record<string, unknown>;
  const deno = g.Deno as _DenoLike | undefined;
  const denoVersion = deno?.version?.deno;
  const host: HostKind = denoVersion !== undefined
    ? "deno"
    : typeof g.document !== "undefined" || typeof g.WorkerGlobalScope !== "undefined"
    ? "browser"
    : "other";
  const workerScope = g.WorkerGlobalScope as (abstract new () => unknown) | undefined;
  const isWorker = typeof workerScope === "function" && globalThis instanceof workerScope;
  const nav = g.navigator as { gpu?: unknown; hardwareConcurrency?: number } | undefined;
  return {
    host,
    denoVersion,
    isWorker,
    hasWebGpuApi: nav?.gpu !== undefined,
    sharedMemory: host === "deno" || g.crossOriginIsolated === true,
    hardwareConcurrency: Math.max(1, nav?.hardwareConcurrency ?? 1),
  };
}

const _SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|software|microsoft basic render/i;

/**
 * Copies an adapter's info into a plain object. Deno invalidates `adapter.info` once a
 * device has been requested, so this must run before `requestDevice`.
 */
export function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info as GPUAdapterInfo & { device?: string; isFallbackAdapter?: boolean };
  const description = String(info.description ?? "");
  const fallback = info.isFallbackAdapter === true ||
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: String(info.vendor ?? ""),
    architecture: String(info.architecture ?? ""),
    device: String(info.device ?? ""),
    description,
    isSoftware: fallback || _SOFTWARE_ADAPTER.test(description) ||
      _SOFTWARE_ADAPTER.test(String(info.vendor ?? "")),
  };
}

/**
 * Asks for a WebGPU adapter and describes it, or returns null when there is none.
 *
 * @example
 * ```ts
 * import { probeWebGpuAdapter } from "./capabilities.ts";
 * const adapter = await probeWebGpuAdapter();
 * console.log(adapter ? adapter.description : "no WebGPU adapter");
 * ```
 */
export async function probeWebGpuAdapter(): Promise<AdapterDescription | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (gpu === undefined) return null;
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  return adapter === null ? null : describeAdapter(adapter);
}
