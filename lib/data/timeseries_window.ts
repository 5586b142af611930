/**
 * One window of the time-series dataset as bytes: 20 x 2048 float32 values, channel-major
 * (value [c, t] at index c * samples + t), little-endian, no header; and the per-channel
 * statistics it is z-scored with.
 *
 * @module
 */

/** Per-channel mean and std (population) of a set of windows, merged window by window. */
export class ChannelStats {
  /** Samples seen per channel. */
  count = 0;
  readonly mean: Float64Array;
  /** Sum of squared deviations from the mean (Chan et al. 1979, pairwise update). */
  readonly m2: Float64Array;

  constructor(channels: number) {
    this.mean = new Float64Array(channels);
    this.m2 = new Float64Array(channels);
  }

  /**
   * Adds one window ([channels] rows of equal length).
   *
   * @example
   * ```ts
   * import { ChannelStats } from "./timeseries_window.ts";
   * const stats = new ChannelStats(1);
   * stats.add([Float32Array.of(1, 3)]);
   * stats.add([Float32Array.of(5, 7)]);
   * console.assert(stats.mean[0] === 4 && stats.std()[0] === Math.sqrt(5));
   * ```
   */
  add(window: ArrayLike<number>[]): void {
    if (window.length !== this.mean.length) {
      throw new RangeError(
        `Cannot add a window to the channel statistics as it must have ${this.mean.length} ` +
          `channels: current value is ${window.length}`,
      );
    }
    const n = window[0].length;
    if (n === 0) return;
    const total = this.count + n;
    window.forEach((row, c) => {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += row[t];
      const mean = sum / n;
      let m2 = 0;
      for (let t = 0; t < n; t++) m2 += (row[t] - mean) ** 2;
      // Chan's merge of (count, mean, m2) with (n, mean, m2): exact, and stable in float64.
      const delta = mean - this.mean[c];
      this.mean[c] += (delta * n) / total;
      this.m2[c] += m2 + (delta * delta * this.count * n) / total;
    });
    this.count = total;
  }

  /** Population standard deviation per channel. */
  std(): Float64Array {
    return this.m2.map((m2) => this.count === 0 ? NaN : Math.sqrt(m2 / this.count));
  }
}

/**
 * Z-scores a window and encodes it as little-endian float32 bytes (channel-major).
 *
 * @example
 * ```ts
 * import { decodeWindow, encodeWindow } from "./timeseries_window.ts";
 * const bytes = encodeWindow([Float32Array.of(1, 2), Float32Array.of(3, 4)], [1, 3], [1, 2]);
 * console.assert(decodeWindow(bytes, 2).join() === "0,1,0,0.5");
 * ```
 */
export function encodeWindow(
  window: ArrayLike<number>[],
  mean: ArrayLike<number>,
  std: ArrayLike<number>,
): Uint8Array {
  const samples = window[0]?.length ?? 0;
  const bytes = new Uint8Array(window.length * samples * 4);
  const view = new DataView(bytes.buffer);
  window.forEach((row, c) => {
    if (row.length !== samples) {
      throw new RangeError(
        `Cannot encode a window as every channel must have ${samples} samples: current value ` +
          `is ${row.length} in channel ${c}`,
      );
    }
    for (let t = 0; t < samples; t++) {
      view.setFloat32((c * samples + t) * 4, (row[t] - mean[c]) / std[c], true);
    }
  });
  return bytes;
}

/**
 * Reads a window file back as float32 values (channel-major, as stored: z-scored).
 *
 * @example
 * ```ts
 * import { decodeWindow } from "./timeseries_window.ts";
 * console.assert(decodeWindow(new Uint8Array(16), 2).length === 4);
 * ```
 */
export function decodeWindow(bytes: Uint8Array, channels: number): Float32Array {
  if (bytes.length % (4 * channels) !== 0) {
    throw new RangeError(
      `Cannot decode a window as its size must be a multiple of 4 x ${channels} channels ` +
        `bytes: current value is ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
