/**
 * GroupNorm as one fused kernel on the wasm backend, forward and backward, with loops over
 * the wasm heap (lib/nn/group_norm.ts uses it when it is registered for the current
 * backend; elsewhere the layer stays a composition of tfjs ops).
 *
 * Why: composed of tfjs ops, a GroupNorm costs about ten kernels forwards and twenty
 * backwards, each a full pass over the activation with its own allocation; in the U-Net's
 * training step that was about a sixth of the time. Fused, it is three passes forwards and
 * two backwards. Statistics are accumulated in float64 (tf.moments sums in float32).
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
  const sums = new Float64Array(groups), mean = new Float64Array(groups);
  const scale = new Float64Array(channels), shift = new Float64Array(channels);
  const stride = spatial * channels;
  for (let b = 0; b < batch; b++) {
    const start = b * stride, end = start + stride;
    sums.fill(0);
    for (let i = start, c = 0; i < end; i++) {
      sums[groupOf[c]] += xs[i];
      if (++c === channels) c = 0;
    }
    for (let k = 0; k < groups; k++) mean[k] = sums[k] / count;
    // Variance as the mean squared deviation (two passes, as tf.moments).
    sums.fill(0);
    for (let i = start, c = 0; i < end; i++) {
      const d = xs[i] - mean[groupOf[c]];
      sums[groupOf[c]] += d * d;
      if (++c === channels) c = 0;
    }
    for (let k = 0; k < groups; k++) {
      const rstd = 1 / Math.sqrt(sums[k] / count + epsilon);
      meanOut[b * groups + k] = mean[k];
      rstdOut[b * groups + k] = rstd;
      sums[k] = rstd; // reused below as this example's rstd per group
    }
    for (let c = 0; c < channels; c++) {
      scale[c] = sums[groupOf[c]] * g[c];
      shift[c] = bt[c] - mean[groupOf[c]] * scale[c];
    }
    for (let i = start, c = 0; i < end; i++) {
      y[i] = xs[i] * scale[c] + shift[c];
      if (++c === channels) c = 0;
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
  // Per group: sum of dxhat = dy gamma, and of dxhat * xhat.
  const sumD = new Float64Array(groups), sumDX = new Float64Array(groups);
  const mu = new Float64Array(channels), rs = new Float64Array(channels);
  const stride = spatial * channels;
  for (let b = 0; b < batch; b++) {
    const start = b * stride, end = start + stride;
    for (let c = 0; c < channels; c++) {
      mu[c] = means[b * groups + groupOf[c]];
      rs[c] = rstds[b * groups + groupOf[c]];
    }
    sumD.fill(0);
    sumDX.fill(0);
    for (let i = start, c = 0; i < end; i++) {
      const xhat = (xs[i] - mu[c]) * rs[c];
      const d = dys[i];
      dgamma[c] += d * xhat;
      dbeta[c] += d;
      const dxhat = d * g[c];
      sumD[groupOf[c]] += dxhat;
      sumDX[groupOf[c]] += dxhat * xhat;
      if (++c === channels) c = 0;
    }
    for (let k = 0; k < groups; k++) {
      sumD[k] /= count;
      sumDX[k] /= count;
    }
    // dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), means over the group.
    for (let i = start, c = 0; i < end; i++) {
      const xhat = (xs[i] - mu[c]) * rs[c];
      const k = groupOf[c];
      dx[i] = rs[c] * (dys[i] * g[c] - sumD[k] - xhat * sumDX[k]);
      if (++c === channels) c = 0;
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
