/**
 * Runtime: where the code runs, which tfjs backend it uses, seeded randomness and leak
 * checks.
 *
 * @module
 */
export * from "./capabilities.ts";
export * from "./backend.ts";
export { lastWebGpuAdapter, registerWebGpuBackend } from "./webgpu_backend.ts";
export * from "./rng.ts";
export * from "./leaks.ts";
