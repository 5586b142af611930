/**
 * Test support for lib/eeg's tfjs paths: run a test on the tfjs cpu backend always and
 * on webgpu when an adapter exists (in CI a missing adapter fails the webgpu variant).
 *
 * @module
 */
import { type BackendName, initBackend } from "../../lib/runtime/mod.ts";
import { requireWebGpu, SKIP_WEBGPU } from "../_support/webgpu.ts";

const _BACKENDS: { backend: BackendName; ignore: boolean }[] = [
  { backend: "cpu", ignore: false },
  { backend: "webgpu", ignore: SKIP_WEBGPU },
];

/** Registers `fn` once per backend, as "<name> [tfjs cpu]" and "<name> [tfjs webgpu]". */
export function gpuTest(name: string, fn: () => Promise<void>): void {
  for (const { backend, ignore } of _BACKENDS) {
    Deno.test({
      name: `${name} [tfjs ${backend}]`,
      ignore,
      async fn() {
        if (backend === "webgpu") requireWebGpu();
        await initBackend({ backend });
        await fn();
      },
    });
  }
}
