/**
 * `Sum` on wasm for float32 reductions over neighbouring axes with an axis kept after
 * them (the bias gradient of a conv layer): one pass over the heap instead of tfjs-wasm's
 * transpose-then-sum. Every other reduction goes to tfjs-wasm's own kernel.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { middleReduction, reduceMiddle } from "./_reduce_axes.ts";
import type { WasmBackend, WasmKernelArgs } from "./_wasm_ops.ts";

/** Our Sum, falling back to `original` (tfjs-wasm's kernel) for other reductions. */
export function sumWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const plan = x.dtype === "float32" ? middleReduction(x.shape, axis, keepDims) : null;
    if (plan === null) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    return reduceMiddle(args.backend as WasmBackend, x, plan, 1);
  }) as unknown as tf.KernelFunc;
}
