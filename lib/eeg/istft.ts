/**
 * Inverse short-time Fourier transform on the CPU, equal to `scipy.signal.istft`.
 *
 * @module
 */
import { type Spectrogram, spectrogramShape } from "./channel_signal.ts";
import { Fft } from "./fft.ts";
import { type IstftOptions, planIstft } from "./stft_params.ts";

export type { IstftOptions } from "./stft_params.ts";

/** A signal rebuilt by {@linkcode istft}. */
export interface IstftResult {
  /** `[channels, samples]`. */
  signal: Float32Array[];
  /** Time of each sample in seconds. */
  timesSeconds: Float64Array;
}

/** Below this window-overlap sum scipy leaves samples undivided (NOLA fails there). */
const _NOLA_FLOOR = 1e-10;

/**
 * Rebuilds `[channels, samples]` from an STFT `[channels, bins, frames]` by inverse FFT
 * of each frame, windowing and overlap-add divided by the summed squared window, as
 * `scipy.signal.istft(Zxx, fs, window, nperseg, noverlap, nfft, input_onesided,
 * boundary, scaling=...)`. With the forward transform's options, `istft(stft(x))`
 * returns x (followed by the end padding's samples, as scipy).
 *
 * One-sided input is read as numpy.fft.irfft reads it: the imaginary parts of the 0 Hz
 * and (even fftLength) Nyquist bins are ignored.
 *
 * @example
 * ```ts
 * import { istft } from "./istft.ts";
 * import { stft } from "./stft.ts";
 * const x = Float32Array.from({ length: 300 }, (_, n) => Math.sin(n / 7));
 * const y = istft(stft([x], { frameLength: 64 }), { frameLength: 64 }).signal[0];
 * console.assert(x.every((v, n) => Math.abs(v - y[n]) < 1e-6));
 * ```
 */
export function istft(spectrogram: Spectrogram, options: IstftOptions = {}): IstftResult {
  const [channels, bins, frames] = spectrogramShape(spectrogram, "istft");
  const plan = planIstft(bins, frames, options, "istft");
  const { frameLength, hop, fftLength: n, onesided } = plan;
  const fft = new Fft(n);
  // scipy multiplies each inverse FFT by sum(window) ("spectrum") or
  // sqrt(fs sum(window^2)) ("psd"), the inverse of the forward scale, then by the window.
  const synthesis = plan.window.map((w) => w / plan.scale);
  const fullLength = frameLength + (frames - 1) * hop;
  const norm = new Float64Array(fullLength);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < frameLength; i++) norm[t * hop + i] += plan.window[i] ** 2;
  }
  const { re, im } = spectrogram;
  const packed = new Float64Array(2 * n);
  const frame = new Float64Array(2 * n);
  const full = new Float64Array(fullLength);
  const signal: Float32Array[] = [];

  for (let c = 0; c < channels; c++) {
    full.fill(0);
    // One-sided: frames a and b have Hermitian spectra A and B, so ifft(A + iB) = a + i b
    // and one inverse FFT rebuilds two frames. Two-sided input need not be Hermitian:
    // one frame per FFT, real part kept (as scipy's x.real).
    const step = onesided ? 2 : 1;
    for (let t = 0; t < frames; t += step) {
      const hasB = onesided && t + 1 < frames;
      for (let k = 0; k < n; k++) {
        const [ar, ai] = _bin(re, im, c, t, k, plan.bins, frames, n, onesided);
        const [br, bi] = hasB ? _bin(re, im, c, t + 1, k, plan.bins, frames, n, true) : [0, 0];
        packed[2 * k] = ar - bi;
        packed[2 * k + 1] = ai + br;
      }
      fft.inverse(packed, frame);
      const startA = t * hop;
      for (let i = 0; i < frameLength; i++) full[startA + i] += frame[2 * i] * synthesis[i];
      if (hasB) {
        const startB = startA + hop;
        for (let i = 0; i < frameLength; i++) full[startB + i] += frame[2 * i + 1] * synthesis[i];
      }
    }
    const out = new Float32Array(plan.outputLength);
    for (let i = 0; i < plan.outputLength; i++) {
      const w = norm[plan.trim + i];
      out[i] = full[plan.trim + i] / (w > _NOLA_FLOOR ? w : 1);
    }
    signal.push(out);
  }
  const timesSeconds = new Float64Array(plan.outputLength);
  for (let i = 0; i < plan.outputLength; i++) timesSeconds[i] = i / plan.sampleRateHz;
  return { signal, timesSeconds };
}

/** Bin k (0..n-1) of frame t: stored bins, Hermitian-extended for one-sided input. */
function _bin(
  re: Float32Array,
  im: Float32Array,
  c: number,
  t: number,
  k: number,
  bins: number,
  frames: number,
  n: number,
  onesided: boolean,
): [number, number] {
  if (!onesided) {
    if (k >= bins) return [0, 0];
    const index = (c * bins + k) * frames + t;
    return [re[index], im[index]];
  }
  const mirrored = k > n / 2;
  const kk = mirrored ? n - k : k;
  if (kk >= bins) return [0, 0];
  const index = (c * bins + kk) * frames + t;
  // irfft ignores the imaginary part of bin 0 and of the Nyquist bin.
  const imag = kk === 0 || 2 * kk === n ? 0 : im[index];
  return [re[index], mirrored ? -imag : imag];
}
