/**
 * Kernels that tfjs's wasm backend lacks for training, registered through tfjs's kernel
 * registry. One kernel per file; each is tested against the cpu backend.
 *
 * Still missing on wasm (not used by our models): DepthwiseConv2dNativeBackpropFilter/
 * Input, FFT/IFFT and complex ops. tfjs itself computes conv2d filter gradients only for
 * dilation 1, on every backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilterWasmConfig } from "./conv2d_backprop_filter.ts";

const _KERNELS: tf.KernelConfig[] = [conv2dBackpropFilterWasmConfig];

/** Registers our wasm training kernels (idempotent). */
export function registerWasmTrainingKernels(): void {
  for (const config of _KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) {
      tf.registerKernel(config);
    }
  }
}
