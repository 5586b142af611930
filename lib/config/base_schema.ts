/**
 * The `[run]` section every task with a config shares.
 *
 * @module
 */
import { field } from "./field.ts";
import { defineSchema } from "./schema.ts";

/**
 * The base schema: `[run]` with `seed`, `backend`, `out` and `name`. Task schemas
 * extend it with `extendSchema(BASE_SCHEMA, { train: {...} })`. The backend choices are
 * `BACKEND_REQUESTS` of lib/runtime (kept as a literal here so that loading a config
 * does not load tfjs).
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, resolveConfig } from "./mod.ts";
 * const config = resolveConfig(BASE_SCHEMA, { sets: ["run.seed=7"] });
 * console.assert(config.run.seed === 7 && config.run.backend === "auto");
 * ```
 */
export const BASE_SCHEMA = defineSchema({
  run: {
    seed: field.integer({
      default: 0,
      doc: "Seed of every random choice (initial weights, shuffling, splits, noise)",
      min: 0,
      max: 2 ** 32 - 1,
    }),
    backend: field.choice({
      choices: ["auto", "webgpu", "wasm", "cpu"],
      default: "auto",
      doc: "TensorFlow.js backend; auto takes WebGPU on a hardware adapter, else wasm",
    }),
    out: field.string({
      default: "",
      doc: 'Run folder; "" lets the task pick runs/<task>-<timestamp>',
    }),
    name: field.string({
      default: "",
      doc: "A short label for the run, saved in run.json",
    }),
  },
});
