/**
 * The one representation of a multichannel signal in lib/eeg: one typed array of samples
 * per channel, all of equal length, i.e. `[channels, samples]`. Functions accept float32
 * or float64 channels, compute in float64, and return float32 channels.
 *
 * @module
 */

/** A multichannel signal `[channels, samples]`: one array of samples per channel. */
export type ChannelSignal = readonly (Float32Array | Float64Array)[];

/** A complex array `[channels, bins, frames]` in row-major order, as two real arrays. */
export interface Spectrogram {
  /** Real parts, row-major `[channels, bins, frames]`. */
  re: Float32Array;
  /** Imaginary parts, row-major `[channels, bins, frames]`. */
  im: Float32Array;
  /** `[channels, bins, frames]`. */
  shape: [number, number, number];
}

function _shapeOf(value: unknown): number[] {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return [(value as unknown as ArrayLike<number>).length];
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? [0] : [value.length, ..._shapeOf(value[0])];
  }
  return [];
}

/**
 * Checks that `signal` is `[channels, samples]` with at least one channel and equal
 * channel lengths, and returns `[channels, samples]`. `caller` names the function in the
 * error: "Error in stft: signal must be [channels, samples] but got shape [19]".
 *
 * @example
 * ```ts
 * import { signalShape } from "./channel_signal.ts";
 * const [channels, samples] = signalShape([new Float32Array(8), new Float32Array(8)], "demo");
 * console.assert(channels === 2 && samples === 8);
 * ```
 */
export function signalShape(signal: unknown, caller: string): [number, number] {
  const shape = _shapeOf(signal);
  const prefix = `Error in ${caller}: signal must be [channels, samples]`;
  if (shape.length !== 2 || shape[0] === 0) {
    throw new TypeError(`${prefix} but got shape [${shape.join(", ")}]`);
  }
  const channels = signal as readonly ArrayLike<number>[];
  const samples = channels[0].length;
  for (let c = 0; c < channels.length; c++) {
    const channel = channels[c] as unknown;
    const isTyped = channel instanceof Float32Array || channel instanceof Float64Array;
    if (!isTyped) {
      throw new TypeError(
        `${prefix} of Float32Array or Float64Array channels but channel ${c} is ` +
          `${Array.isArray(channel) ? "an Array" : typeof channel}`,
      );
    }
    if ((channel as Float32Array).length !== samples) {
      throw new TypeError(
        `${prefix} with channels of equal length but channel ${c} has ` +
          `${(channel as Float32Array).length} samples and channel 0 has ${samples}`,
      );
    }
  }
  return [channels.length, samples];
}

/**
 * Checks that `spectrogram` holds `[channels, bins, frames]` complex values and returns
 * its shape; `caller` names the function in the error.
 *
 * @example
 * ```ts
 * import { type Spectrogram, spectrogramShape } from "./channel_signal.ts";
 * const spec: Spectrogram = { re: new Float32Array(6), im: new Float32Array(6), shape: [1, 3, 2] };
 * console.assert(spectrogramShape(spec, "demo").join() === "1,3,2");
 * ```
 */
export function spectrogramShape(
  spectrogram: Spectrogram,
  caller: string,
): [number, number, number] {
  const shape = (spectrogram?.shape ?? []) as number[];
  const ok = shape.length === 3 && shape.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) {
    throw new TypeError(
      `Error in ${caller}: spectrogram must be [channels, bins, frames] but got shape ` +
        `[${shape.join(", ")}]`,
    );
  }
  const size = shape[0] * shape[1] * shape[2];
  if (spectrogram.re?.length !== size || spectrogram.im?.length !== size) {
    throw new TypeError(
      `Error in ${caller}: spectrogram re and im must hold ${size} values for shape ` +
        `[${shape.join(", ")}] but hold ${spectrogram.re?.length} and ${spectrogram.im?.length}`,
    );
  }
  return [shape[0], shape[1], shape[2]];
}
