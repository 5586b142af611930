/**
 * Kernels that tfjs's wasm backend lacks for training, registered through tfjs's kernel
 * registry, a fused GroupNorm (forward and gradient) that lib/nn/group_norm.ts uses
 * where it is registered, and faster Sum and Mean for reductions over leading or middle
 * axes. One kernel per file; each is tested against the cpu backend.
 *
 * Still missing on wasm (not used by our models): DepthwiseConv2dNativeBackpropFilter/
 * Input, FFT/IFFT and complex ops. tfjs itself computes conv2d filter gradients only for
 * dilation 1, on every backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilterWasmConfig } from "./conv2d_backprop_filter.ts";
import { conv2dBackpropInputWasmConfig } from "./conv2d_backprop_input.ts";
import { groupNormGradConfig, groupNormGradWasmConfig, groupNormWasmConfig } from "./group_norm.ts";
import { maxPoolGradWasmConfig } from "./max_pool_grad.ts";
import { meanWasm } from "./mean.ts";
import { sumWasm } from "./sum.ts";

/** Kernels wasm lacks, and wasm kernels we replace because ours are much faster. */
const _KERNELS: tf.KernelConfig[] = [
  conv2dBackpropFilterWasmConfig,
  conv2dBackpropInputWasmConfig,
  groupNormWasmConfig,
  groupNormGradWasmConfig,
  maxPoolGradWasmConfig,
];

/**
 * Kernels that handle some cases faster and hand the rest to tfjs-wasm's own kernel: each
 * wraps the kernel registered before it.
 */
const _WRAPPERS: { kernelName: string; wrap: (original: tf.KernelFunc) => tf.KernelFunc }[] = [
  { kernelName: "Sum", wrap: sumWasm },
  { kernelName: "Mean", wrap: meanWasm },
];

/** The kernel functions our wrappers made, so registering twice does not wrap twice. */
const _wrapped = new WeakSet<tf.KernelFunc>();

/** Registers our wasm training kernels (idempotent; replaces tfjs-wasm's own where listed). */
export function registerWasmTrainingKernels(): void {
  for (const config of _KERNELS) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  for (const { kernelName, wrap } of _WRAPPERS) {
    const current = tf.getKernel(kernelName, "wasm");
    if (current === undefined || _wrapped.has(current.kernelFunc)) continue;
    const kernelFunc = wrap(current.kernelFunc);
    _wrapped.add(kernelFunc);
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ ...current, kernelFunc });
  }
  // The fused GroupNorm's gradient (one per kernel name, whatever the backend).
  if (tf.getGradient(groupNormGradConfig.kernelName) === undefined) {
    tf.registerGradient(groupNormGradConfig);
  }
}
