/**
 * `Mean` on wasm for float32 reductions over neighbouring axes with an axis kept after
 * them (global average pooling over H, W of [B, H, W, C]): one pass over the heap instead
 * of tfjs-wasm's transpose-then-mean. Every other reduction goes to tfjs-wasm's own kernel.
 *
 * @module
 */
import { middleReductionKernel } from "./_reduce_axes.ts";

/** Our Mean, falling back to `original` (tfjs-wasm's kernel) for other reductions. */
export const meanWasm = middleReductionKernel((plan) => 1 / plan.mid);
