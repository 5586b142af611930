/**
 * Layers shared by several models, each registered for serialisation so saved models
 * load in Deno and in browsers. Importing this module registers them.
 *
 * GELU needs no layer of ours: tfjs-layers 4.22 has the exact (erf) form built in, as the
 * activation `"gelu"` (and the tanh approximation as `"gelu_new"`).
 *
 * @module
 */
export * from "./group_norm.ts";
export * from "./input_conv2d.ts";
export * from "./seeded_dropout.ts";
