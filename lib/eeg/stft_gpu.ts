/**
 * The STFT and its inverse on a tfjs backend (WebGPU, or any other), equal to
 * `scipy.signal.stft` / `istft` up to float32 rounding. All channels are framed at once
 * (one gather) and the DFT is one matrix product with a precomputed cos/sin basis that
 * has the window and scaling folded in: a handful of dispatches in all, none per frame.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ChannelSignal, Spectrogram } from "./channel_signal.ts";
import { _signalTensor, _spectrogramTensors } from "./_signal_tensor.ts";
import {
  type IstftOptions,
  type IstftPlan,
  planIstft,
  planStft,
  type StftOptions,
  type StftPlan,
} from "./stft_params.ts";

/** A GPU STFT: tensors `[channels, bins, frames]` (caller disposes) and the axes. */
export interface StftTensors {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
  frequenciesHz: Float64Array;
  timesSeconds: Float64Array;
}

let _cache: { key: string; basis: Float32Array } | null = null;

function _cached(key: string, build: () => Float32Array): Float32Array {
  if (_cache?.key !== key) _cache = { key, basis: build() };
  return _cache.basis;
}

/** [frameLength, 2 bins]: window * scale * cos(2 pi k n / N) | -window * scale * sin(...). */
function _forwardBasis(plan: StftPlan): Float32Array {
  const { frameLength: length, fftLength: n, bins, window, scale } = plan;
  const key = `stft:${length}:${n}:${bins}:${scale}:${window.join(",")}`;
  return _cached(key, () => {
    const basis = new Float32Array(length * 2 * bins);
    for (let i = 0; i < length; i++) {
      const w = window[i] * scale;
      for (let k = 0; k < bins; k++) {
        // (k i) mod n keeps the angle exact for long frames.
        const angle = (2 * Math.PI * ((k * i) % n)) / n;
        basis[i * 2 * bins + k] = w * Math.cos(angle);
        basis[i * 2 * bins + bins + k] = -w * Math.sin(angle);
      }
    }
    return basis;
  });
}

/**
 * The STFT of every channel on the current tfjs backend, with the options and output
 * layout of {@link ./stft.ts}'s `stft` (scipy.signal.stft). `signal` is a `[channels,
 * samples]` tensor (not disposed) or arrays. Dispatches: pad, gather, matmul, and the
 * slices and transposes that give `[channels, bins, frames]`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "../runtime/mod.ts";
 * import { stftGpu } from "./stft_gpu.ts";
 * await initBackend({ backend: "cpu" }); // or "webgpu"
 * const x = Float32Array.from({ length: 512 }, (_, n) => Math.cos(2 * Math.PI * 0.125 * n));
 * const { re, im } = stftGpu([x], { frameLength: 64, hop: 16 });
 * const magnitude = tf.tidy(() => tf.complex(re, im).abs());
 * console.assert(magnitude.shape.join() === "1,33,33");
 * tf.dispose([re, im, magnitude]);
 * ```
 */
export function stftGpu(signal: tf.Tensor | ChannelSignal, options: StftOptions = {}): StftTensors {
  const x = _signalTensor(signal, "stftGpu");
  const [channels, samples] = x.shape;
  let plan: StftPlan;
  try {
    plan = planStft(samples, options, "stftGpu");
  } catch (error) {
    x.dispose();
    throw error;
  }
  const { frameLength, hop, bins, frames } = plan;
  const basis = _forwardBasis(plan);
  const starts = new Int32Array(frames * frameLength);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < frameLength; i++) starts[t * frameLength + i] = t * hop + i;
  }
  const { re, im } = tf.tidy(() => {
    const extended = tf.pad(x, [[0, 0], [plan.padStart, plan.padEnd]]); // [C, padded]
    const framed = tf.gather(extended, tf.tensor1d(starts, "int32"), 1) // [C, T * L]
      .reshape([channels * frames, frameLength]);
    const spectra = tf.matMul(framed, tf.tensor2d(basis, [frameLength, 2 * bins])) // [C*T, 2F]
      .reshape([channels, frames, 2 * bins]);
    const part = (offset: number) =>
      spectra.slice([0, 0, offset], [channels, frames, bins]).transpose([0, 2, 1]) as tf.Tensor3D;
    return { re: part(0), im: part(bins) };
  });
  x.dispose();
  return { re, im, frequenciesHz: plan.frequenciesHz, timesSeconds: plan.timesSeconds };
}

/** A GPU inverse STFT: `[channels, samples]` (caller disposes) and the time axis. */
export interface IstftTensors {
  signal: tf.Tensor2D;
  timesSeconds: Float64Array;
}

/**
 * The inverse STFT on the current tfjs backend, as {@link ./istft.ts}'s `istft`
 * (scipy.signal.istft): one matmul with an inverse-DFT basis (window and scaling folded
 * in), then overlap-add as ceil(frameLength / hop) shifted sums, then division by the
 * summed squared window. `spectrogram` is `{ re, im }` tensors `[channels, bins, frames]`
 * (not disposed) or a CPU {@linkcode Spectrogram}.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "../runtime/mod.ts";
 * import { istftGpu, stftGpu } from "./stft_gpu.ts";
 * await initBackend({ backend: "cpu" }); // or "webgpu"
 * const x = Float32Array.from({ length: 300 }, (_, n) => Math.sin(n / 7));
 * const spec = stftGpu([x], { frameLength: 64 });
 * const { signal } = istftGpu(spec, { frameLength: 64 });
 * const y = await signal.data();
 * console.assert(x.every((v, n) => Math.abs(v - y[n]) < 1e-5));
 * tf.dispose([spec.re, spec.im, signal]);
 * ```
 */
export function istftGpu(
  spectrogram: { re: tf.Tensor; im: tf.Tensor } | Spectrogram,
  options: IstftOptions = {},
): IstftTensors {
  const input = _spectrogramTensors(spectrogram, "istftGpu");
  const [channels, bins, frames] = input.re.shape;
  let plan: IstftPlan;
  try {
    plan = planIstft(bins, frames, options, "istftGpu");
  } catch (error) {
    tf.dispose([input.re, input.im]);
    throw error;
  }
  const { frameLength, hop, fftLength: n, onesided } = plan;
  const basis = _cached(
    `istft:${frameLength}:${n}:${bins}:${onesided}:${plan.scale}:${plan.window.join(",")}`,
    () => {
      // x[i] = (1 / n) sum_k c_k (Re X_k cos(2 pi k i / n) - Im X_k sin(...)), times the
      // window and 1 / scale; c_k = 2 for bins mirrored by irfft, 1 otherwise. sin is 0 at
      // k = 0 and k = n / 2, so their imaginary parts drop out as irfft ignores them.
      const b = new Float32Array(2 * bins * frameLength);
      const used = onesided ? Math.min(bins, Math.floor(n / 2) + 1) : Math.min(bins, n);
      for (let k = 0; k < used; k++) {
        const weight = onesided && k !== 0 && 2 * k !== n ? 2 / n : 1 / n;
        for (let i = 0; i < frameLength; i++) {
          const w = (weight * plan.window[i]) / plan.scale;
          const angle = (2 * Math.PI * ((k * i) % n)) / n;
          b[k * frameLength + i] = w * Math.cos(angle);
          b[(bins + k) * frameLength + i] = -w * Math.sin(angle);
        }
      }
      return b;
    },
  );
  // 1 / (summed squared window) where it exceeds scipy's NOLA floor, else 1.
  const fullLength = frameLength + (frames - 1) * hop;
  const norm = new Float64Array(fullLength);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < frameLength; i++) norm[t * hop + i] += plan.window[i] ** 2;
  }
  const inverseNorm = new Float32Array(plan.outputLength);
  for (let i = 0; i < plan.outputLength; i++) {
    const w = norm[plan.trim + i];
    inverseNorm[i] = 1 / (w > 1e-10 ? w : 1);
  }
  const overlaps = Math.ceil(frameLength / hop);
  const signal = tf.tidy(() => {
    const { re, im } = input;
    const stacked = tf.concat([re.transpose([0, 2, 1]), im.transpose([0, 2, 1])], 2) // [C, T, 2F]
      .reshape([channels * frames, 2 * bins]);
    const framesOut = tf.matMul(stacked, tf.tensor2d(basis, [2 * bins, frameLength])) // [C*T, L]
      .reshape([channels, frames, frameLength])
      .pad([[0, 0], [0, 0], [0, overlaps * hop - frameLength]])
      .reshape([channels, frames, overlaps, hop]);
    // Overlap-add: chunk m of the output sums piece r of frame m - r.
    const pieces = [];
    for (let r = 0; r < overlaps; r++) {
      pieces.push(
        framesOut.slice([0, 0, r, 0], [channels, frames, 1, hop])
          .reshape([channels, frames, hop])
          .pad([[0, 0], [r, overlaps - 1 - r], [0, 0]]),
      );
    }
    return tf.addN(pieces)
      .reshape([channels, (frames + overlaps - 1) * hop])
      .slice([0, plan.trim], [channels, plan.outputLength])
      .mul(tf.tensor1d(inverseNorm)) as tf.Tensor2D;
  });
  tf.dispose([input.re, input.im]);
  const timesSeconds = new Float64Array(plan.outputLength);
  for (let i = 0; i < plan.outputLength; i++) timesSeconds[i] = i / plan.sampleRateHz;
  return { signal, timesSeconds };
}
