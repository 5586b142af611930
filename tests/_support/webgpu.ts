/**
 * Test support: whether WebGPU tests can run here. Outside CI a missing adapter skips
 * them with a note saying what to install; with CI=true they must run, so a missing
 * adapter fails loudly instead of skipping.
 *
 * @module
 */
import { probeWebGpuAdapter } from "../../lib/runtime/mod.ts";

/** True when the CI environment variable says we are in CI. */
export const IN_CI = Deno.env.get("CI") === "true";

const _INSTALL = "apt-get install -y mesa-vulkan-drivers (lavapipe, a CPU Vulkan driver)";

/** The adapter (or null), probed once per test process. */
export const WEBGPU_ADAPTER = await probeWebGpuAdapter();

if (WEBGPU_ADAPTER === null && !IN_CI) {
  console.error(
    `NOTE: no WebGPU adapter found: the webgpu tests will not run. Install: ${_INSTALL}`,
  );
}

/**
 * `ignore` value for Deno.test: skip webgpu tests only outside CI. In CI a missing adapter
 * returns false, so the test runs and {@linkcode requireWebGpu} fails it.
 */
export const SKIP_WEBGPU = WEBGPU_ADAPTER === null && !IN_CI;

/** Throws when no adapter exists (used at the start of webgpu tests). */
export function requireWebGpu(): void {
  if (WEBGPU_ADAPTER === null) {
    throw new Error(`CI=true but no WebGPU adapter was found; install: ${_INSTALL}`);
  }
}
