/**
 * GroupNorm as one fused kernel on the wasm backend, forward and backward, with loops over
 * the wasm heap (lib/nn/group_norm.ts uses it when it is registered for the current
 * backend; elsewhere the layer stays a composition of tfjs ops).
 *
 * Why: composed of tfjs ops, a GroupNorm costs about ten kernels forwards and twenty
 * backwards, each a full pass over the activation with its own allocation; in the U-Net's
 * training step that was about a sixth of the time. Fused, it is three passes forwards and
 * two backwards, with per-channel sums in the inner loops. Statistics are accumulated in float64 (tf.moments sums in float32).
 *
 * Layout: x is [B, ...spatial, C] with C = groups * (C / groups); statistics per example and
 * group over the spatial positions and the group's channels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmBackend, WasmKernelArgs } from "./_wasm_ops.ts";

/** The fused op: inputs x, gamma [C], beta [C]; outputs y, mean [B, G], rstd [B, G]. */
export const GROUP_NORM_KERNEL = "WorkbenchGroupNorm";
/** Its gradient: inputs dy, x, mean, rstd, gamma; outputs dx, dgamma, dbeta. */
export const GROUP_NORM_GRAD_KERNEL = "WorkbenchGroupNormGrad";

/** Attributes of both kernels. */
export interface GroupNormAttrs {
  groups: number;
  epsilon: number;
}

function _dims(shape: number[], groups: number) {
  const batch = shape[0], channels = shape[shape.length - 1];
  const spatial = shape.slice(1, -1).reduce((a, b) => a * b, 1);
  const perGroup = channels / groups;
  const groupOf = new Int32Array(channels);
  for (let c = 0; c < channels; c++) groupOf[c] = Math.floor(c / perGroup);
  return { batch, channels, spatial, count: spatial * perGroup, groupOf };
}

function _groupNorm(
  { inputs, backend, attrs }: WasmKernelArgs,
): tf.TensorInfo[] {
  const wasm = backend as WasmBackend;
  const { x, gamma, beta } = inputs as Record<"x" | "gamma" | "beta", tf.TensorInfo>;
  const { groups, epsilon } = attrs as unknown as GroupNormAttrs;
  const { batch, channels, spatial, count, groupOf } = _dims(x.shape, groups);
  const yInfo = wasm.makeOutput(x.shape, "float32");
  const meanInfo = wasm.makeOutput([batch, groups], "float32");
  const rstdInfo = wasm.makeOutput([batch, groups], "float32");
  // Views after every makeOutput: an allocation may grow (and detach) the heap.
  const xs = wasm.typedArrayFromHeap(x), g = wasm.typedArrayFromHeap(gamma);
  const bt = wasm.typedArrayFromHeap(beta), y = wasm.typedArrayFromHeap(yInfo);
  const meanOut = wasm.typedArrayFromHeap(meanInfo), rstdOut = wasm.typedArrayFromHeap(rstdInfo);
  // Per-channel sums in the inner loops (no group lookup per value), folded into groups.
  const chanSum = new Float64Array(channels), chanSq = new Float64Array(channels);
  const sums = new Float64Array(groups), mean = new Float64Array(groups);
  const meanOfChan = new Float64Array(channels);
  const scale = new Float64Array(channels), shift = new Float64Array(channels);
  for (let b = 0; b < batch; b++) {
    const start = b * spatial * channels;
    chanSum.fill(0);
    for (let p = 0, i = start; p < spatial; p++, i += channels) {
      for (let c = 0; c < channels; c++) chanSum[c] += xs[i + c];
    }
    sums.fill(0);
    for (let c = 0; c < channels; c++) sums[groupOf[c]] += chanSum[c];
    for (let k = 0; k < groups; k++) mean[k] = sums[k] / count;
    for (let c = 0; c < channels; c++) meanOfChan[c] = mean[groupOf[c]];
    // Variance as the mean squared deviation (two passes, as tf.moments).
    chanSq.fill(0);
    for (let p = 0, i = start; p < spatial; p++, i += channels) {
      for (let c = 0; c < channels; c++) {
        const d = xs[i + c] - meanOfChan[c];
        chanSq[c] += d * d;
      }
    }
    sums.fill(0);
    for (let c = 0; c < channels; c++) sums[groupOf[c]] += chanSq[c];
    for (let k = 0; k < groups; k++) {
      const rstd = 1 / Math.sqrt(sums[k] / count + epsilon);
      meanOut[b * groups + k] = mean[k];
      rstdOut[b * groups + k] = rstd;
      sums[k] = rstd; // reused below as this example's rstd per group
    }
    for (let c = 0; c < channels; c++) {
      scale[c] = sums[groupOf[c]] * g[c];
      shift[c] = bt[c] - meanOfChan[c] * scale[c];
    }
    for (let p = 0, i = start; p < spatial; p++, i += channels) {
      for (let c = 0; c < channels; c++) y[i + c] = xs[i + c] * scale[c] + shift[c];
    }
  }
  return [yInfo, meanInfo, rstdInfo];
}

function _groupNormGrad(
  { inputs, backend, attrs }: WasmKernelArgs,
): tf.TensorInfo[] {
  const wasm = backend as WasmBackend;
  const { dy, x, mean, rstd, gamma } = inputs as Record<
    "dy" | "x" | "mean" | "rstd" | "gamma",
    tf.TensorInfo
  >;
  const { groups } = attrs as unknown as GroupNormAttrs;
  const { batch, channels, spatial, count, groupOf } = _dims(x.shape, groups);
  const dxInfo = wasm.makeOutput(x.shape, "float32");
  const dgammaInfo = wasm.makeOutput([channels], "float32");
  const dbetaInfo = wasm.makeOutput([channels], "float32");
  const dys = wasm.typedArrayFromHeap(dy), xs = wasm.typedArrayFromHeap(x);
  const means = wasm.typedArrayFromHeap(mean), rstds = wasm.typedArrayFromHeap(rstd);
  const g = wasm.typedArrayFromHeap(gamma), dx = wasm.typedArrayFromHeap(dxInfo);
  const dgammaOut = wasm.typedArrayFromHeap(dgammaInfo);
  const dbetaOut = wasm.typedArrayFromHeap(dbetaInfo);
  const dgamma = new Float64Array(channels), dbeta = new Float64Array(channels);
  // This example's per-channel sums of dy and dy * xhat: dgamma and dbeta add them up, and
  // with dxhat = dy gamma the group sums of dxhat and dxhat * xhat are gamma-weighted sums
  // of them, so the inner loop needs no group lookup.
  const chanD = new Float64Array(channels), chanDX = new Float64Array(channels);
  const sumD = new Float64Array(groups), sumDX = new Float64Array(groups);
  const mu = new Float64Array(channels), rs = new Float64Array(channels);
  const a = new Float64Array(channels), k0 = new Float64Array(channels);
  const k1 = new Float64Array(channels);
  for (let b = 0; b < batch; b++) {
    const start = b * spatial * channels;
    for (let c = 0; c < channels; c++) {
      mu[c] = means[b * groups + groupOf[c]];
      rs[c] = rstds[b * groups + groupOf[c]];
    }
    chanD.fill(0);
    chanDX.fill(0);
    for (let p = 0, i = start; p < spatial; p++, i += channels) {
      for (let c = 0; c < channels; c++) {
        const d = dys[i + c];
        chanD[c] += d;
        chanDX[c] += d * (xs[i + c] - mu[c]) * rs[c];
      }
    }
    sumD.fill(0);
    sumDX.fill(0);
    for (let c = 0; c < channels; c++) {
      dbeta[c] += chanD[c];
      dgamma[c] += chanDX[c];
      sumD[groupOf[c]] += g[c] * chanD[c];
      sumDX[groupOf[c]] += g[c] * chanDX[c];
    }
    // dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), means over the group:
    // per channel dx = a dy + k1 x + k0 with xhat = (x - mu) rstd.
    for (let c = 0; c < channels; c++) {
      const mD = sumD[groupOf[c]] / count, mDX = sumDX[groupOf[c]] / count;
      a[c] = rs[c] * g[c];
      k1[c] = -rs[c] * rs[c] * mDX;
      k0[c] = -rs[c] * mD + rs[c] * rs[c] * mDX * mu[c];
    }
    for (let p = 0, i = start; p < spatial; p++, i += channels) {
      for (let c = 0; c < channels; c++) dx[i + c] = a[c] * dys[i + c] + k1[c] * xs[i + c] + k0[c];
    }
  }
  dgammaOut.set(dgamma);
  dbetaOut.set(dbeta);
  return [dxInfo, dgammaInfo, dbetaInfo];
}

/** Kernel config of the fused forward pass, for tf.registerKernel. */
export const groupNormWasmConfig: tf.KernelConfig = {
  kernelName: GROUP_NORM_KERNEL,
  backendName: "wasm",
  kernelFunc: _groupNorm as unknown as tf.KernelFunc,
};

/** Kernel config of the fused backward pass, for tf.registerKernel. */
export const groupNormGradWasmConfig: tf.KernelConfig = {
  kernelName: GROUP_NORM_GRAD_KERNEL,
  backendName: "wasm",
  kernelFunc: _groupNormGrad as unknown as tf.KernelFunc,
};

/** The gradient of the fused op: one backward kernel gives all three input gradients. */
export const groupNormGradConfig: tf.GradConfig = {
  kernelName: GROUP_NORM_KERNEL,
  inputsToSave: ["x", "gamma"],
  outputsToSave: [false, true, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, gamma, mean, rstd] = saved;
    const dyY = Array.isArray(dy) ? dy[0] : dy;
    // All three at once, here rather than in the per-input functions: tfjs calls each of
    // those inside its own tidy, which would dispose the other two results.
    const [dx, dgamma, dbeta] = tf.engine().runKernel(
      GROUP_NORM_GRAD_KERNEL,
      { dy: dyY, x, mean, rstd, gamma } as unknown as tf.NamedTensorMap,
      attrs,
    ) as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};
