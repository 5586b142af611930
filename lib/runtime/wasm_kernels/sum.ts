/**
 * `Sum` on wasm for float32 reductions over neighbouring axes with an axis kept after
 * them (the bias gradient of a conv layer): one pass over the heap instead of tfjs-wasm's
 * transpose-then-sum. Every other reduction goes to tfjs-wasm's own kernel.
 *
 * @module
 */
import { middleReductionKernel } from "./_reduce_axes.ts";

/** Our Sum, falling back to `original` (tfjs-wasm's kernel) for other reductions. */
export const sumWasm = middleReductionKernel(() => 1);
