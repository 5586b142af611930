/**
 * STFT parameters resolved once, as scipy.signal.stft and istft resolve theirs, and
 * shared by the CPU ({@link ./stft.ts}) and GPU ({@link ./stft_gpu.ts}) implementations.
 *
 * Names map to scipy's: frameLength = nperseg, hop = nperseg - noverlap, fftLength = nfft,
 * sampleRateHz = fs, onesided = return_onesided (input_onesided for the inverse).
 *
 * @module
 */
import { getWindow, type WindowSpec } from "./window.ts";

/** Options for the forward STFT (scipy.signal.stft defaults unless stated). */
export interface StftOptions {
  /** Samples per frame (nperseg). Default 256, or the window's length when samples are given. */
  frameLength?: number;
  /** Samples between frame starts (nperseg - noverlap). Default frameLength - floor(frameLength / 2). */
  hop?: number;
  /** FFT length (nfft), >= frameLength; frames are zero-padded to it. Default frameLength. */
  fftLength?: number;
  /** Window name (periodic, as scipy.signal.get_window) or samples. Default "hann". */
  window?: WindowSpec;
  /** "zeros": extend both ends by floor(frameLength / 2) zeros; null: no extension. Default "zeros". */
  boundary?: "zeros" | null;
  /** Zero-pad the end so that the last frame is complete. Default true. */
  padded?: boolean;
  /** Only the non-negative frequencies (fftLength / 2 + 1 bins). Default true. */
  onesided?: boolean;
  /** "spectrum": divide by sum(window); "psd": by sqrt(sampleRateHz * sum(window^2)). Default "spectrum". */
  scaling?: "spectrum" | "psd";
  /** Sampling rate for the frequency and time axes (and "psd" scaling). Default 1. */
  sampleRateHz?: number;
}

/**
 * Options for the inverse STFT (scipy.signal.istft defaults unless stated). The forward
 * options can be passed as they are: `boundary: "zeros"` reads as true, null as false,
 * and `padded` has no effect.
 */
export interface IstftOptions extends Omit<StftOptions, "boundary"> {
  /** The forward transform extended the signal by floor(frameLength / 2) at both ends. Default true. */
  boundary?: boolean | "zeros" | null;
}

/** Everything both implementations need, resolved and validated. */
export interface StftPlan {
  frameLength: number;
  hop: number;
  fftLength: number;
  window: Float64Array;
  /** Multiplies the DFT (forward) or, inverted, the inverse DFT. */
  scale: number;
  onesided: boolean;
  /** Frequency bins in the output (fftLength / 2 + 1 or fftLength). */
  bins: number;
  sampleRateHz: number;
  /** Zeros before the signal (boundary extension). */
  padStart: number;
  /** Zeros after the signal (boundary extension plus end padding). */
  padEnd: number;
  frames: number;
  frequenciesHz: Float64Array;
  timesSeconds: Float64Array;
}

function _positiveInteger(value: number, name: string, caller: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot compute the ${caller} as ${name} must be a positive integer: current value is ${value}`,
    );
  }
  return value;
}

function _frameParams(options: Omit<StftOptions, "boundary">, caller: string) {
  const given = options.window ?? "hann";
  const frameLength = _positiveInteger(
    options.frameLength ?? (typeof given === "string" ? 256 : given.length),
    "frameLength",
    caller,
  );
  const window = getWindow(given, frameLength);
  const hop = _positiveInteger(
    options.hop ?? frameLength - Math.floor(frameLength / 2),
    "hop",
    caller,
  );
  if (hop > frameLength) {
    throw new RangeError(
      `Cannot compute the ${caller} as hop must be at most frameLength (${frameLength}), ` +
        `i.e. noverlap >= 0: current value is ${hop}`,
    );
  }
  const sampleRateHz = options.sampleRateHz ?? 1;
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) {
    throw new RangeError(
      `Cannot compute the ${caller} as sampleRateHz must be positive: current value is ${sampleRateHz}`,
    );
  }
  const scaling = options.scaling ?? "spectrum";
  let sum = 0;
  let sumSquares = 0;
  for (const w of window) {
    sum += w;
    sumSquares += w * w;
  }
  let scale: number;
  if (scaling === "spectrum") scale = 1 / Math.abs(sum);
  else if (scaling === "psd") scale = 1 / Math.sqrt(sampleRateHz * sumSquares);
  else {
    throw new RangeError(
      `Cannot compute the ${caller} as scaling must be "spectrum" or "psd": current value is "${scaling}"`,
    );
  }
  return { frameLength, hop, window, sampleRateHz, scale, onesided: options.onesided ?? true };
}

function _frequencies(fftLength: number, onesided: boolean, sampleRateHz: number): Float64Array {
  // numpy.fft.rfftfreq / fftfreq.
  const bins = onesided ? Math.floor(fftLength / 2) + 1 : fftLength;
  const f = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    const signed = !onesided && k >= Math.ceil(fftLength / 2) ? k - fftLength : k;
    f[k] = signed / (fftLength / sampleRateHz);
  }
  return f;
}

/**
 * Resolves forward-STFT options for a signal of `samples` samples, as
 * scipy.signal.stft (its `_spectral_helper`) does. Unlike scipy, a frame longer than
 * the signal is an error rather than silently shortened.
 *
 * @example
 * ```ts
 * import { planStft } from "./stft_params.ts";
 * const plan = planStft(1000, { frameLength: 256, hop: 64 });
 * // 128 zeros each side, 24 more to complete the last frame: (1280 - 256) / 64 + 1 frames.
 * console.assert(plan.frames === 17 && plan.bins === 129);
 * ```
 */
export function planStft(samples: number, options: StftOptions, caller = "stft"): StftPlan {
  const p = _frameParams(options, caller);
  const fftLength = _positiveInteger(options.fftLength ?? p.frameLength, "fftLength", caller);
  if (fftLength < p.frameLength) {
    throw new RangeError(
      `Cannot compute the ${caller} as fftLength must be >= frameLength (${p.frameLength}): ` +
        `current value is ${fftLength}`,
    );
  }
  if (p.frameLength > samples) {
    throw new RangeError(
      `Cannot compute the ${caller} as frameLength must not exceed the signal's ${samples} ` +
        `samples: current value is ${p.frameLength}`,
    );
  }
  const boundary = options.boundary === undefined ? "zeros" : options.boundary;
  if (boundary !== "zeros" && boundary !== null) {
    throw new RangeError(
      `Cannot compute the ${caller} as boundary must be "zeros" or null: current value is ` +
        `${JSON.stringify(boundary)}`,
    );
  }
  const padStart = boundary === null ? 0 : Math.floor(p.frameLength / 2);
  let length = samples + 2 * padStart;
  let padEnd = padStart;
  if (options.padded ?? true) {
    const add = _mod(_mod(-(length - p.frameLength), p.hop), p.frameLength);
    padEnd += add;
    length += add;
  }
  const frames = Math.floor((length - p.frameLength) / p.hop) + 1;
  const timesSeconds = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    timesSeconds[t] = (p.frameLength / 2 + t * p.hop) / p.sampleRateHz -
      (boundary === null ? 0 : p.frameLength / 2 / p.sampleRateHz);
  }
  return {
    ...p,
    fftLength,
    bins: p.onesided ? Math.floor(fftLength / 2) + 1 : fftLength,
    padStart,
    padEnd,
    frames,
    frequenciesHz: _frequencies(fftLength, p.onesided, p.sampleRateHz),
    timesSeconds,
  };
}

/** What the inverse needs beyond the forward plan's frame parameters. */
export interface IstftPlan extends Omit<StftPlan, "padStart" | "padEnd" | "timesSeconds"> {
  /** Samples to drop at the start and end (the boundary extension). */
  trim: number;
  /** Output samples per channel. */
  outputLength: number;
}

/**
 * Resolves inverse-STFT options for a spectrogram of `bins` x `frames`, as
 * scipy.signal.istft does (frameLength defaults to 2 (bins - 1) for one-sided input).
 *
 * @example
 * ```ts
 * import { planIstft } from "./stft_params.ts";
 * const plan = planIstft(129, 20, {});
 * console.assert(plan.frameLength === 256 && plan.outputLength === 256 + 19 * 128 - 256);
 * ```
 */
export function planIstft(
  bins: number,
  frames: number,
  options: IstftOptions,
  caller = "istft",
): IstftPlan {
  const onesided = options.onesided ?? true;
  const defaultLength = onesided
    ? (options.fftLength ?? 2 * (bins - 1))
    : (options.fftLength ?? bins);
  const given = options.window ?? "hann";
  const frameLength = options.frameLength ??
    (typeof given === "string" ? defaultLength : given.length);
  const p = _frameParams({ ...options, frameLength, onesided }, caller);
  let fftLength: number;
  if (options.fftLength === undefined) {
    // scipy: an odd frameLength one more than the default means no FFT padding.
    fftLength = onesided && frameLength === defaultLength + 1 ? frameLength : defaultLength;
  } else fftLength = _positiveInteger(options.fftLength, "fftLength", caller);
  if (fftLength < frameLength) {
    throw new RangeError(
      `Cannot compute the ${caller} as fftLength must be >= frameLength (${frameLength}): ` +
        `current value is ${fftLength}`,
    );
  }
  const extended = options.boundary === undefined || options.boundary === true ||
    options.boundary === "zeros";
  const trim = extended ? Math.floor(frameLength / 2) : 0;
  const fullLength = frameLength + (frames - 1) * p.hop;
  return {
    ...p,
    fftLength,
    bins,
    frames,
    frequenciesHz: _frequencies(fftLength, onesided, p.sampleRateHz),
    trim,
    outputLength: Math.max(0, fullLength - 2 * trim),
  };
}

function _mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
