/**
 * The in-memory image type every decoder returns and every encoder takes.
 *
 * @module
 */

/** Pixels in row-major, channel-interleaved order (row 0 is the top of the image). */
export interface RasterImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** Bits per channel value. */
  depth: 8 | 16;
  /** width * height * channels values: Uint8Array for depth 8, Uint16Array for depth 16. */
  data: Uint8Array | Uint16Array;
}

/**
 * Checks that a raster's fields agree with each other, naming what is wrong.
 *
 * @example
 * ```ts
 * import { assertRaster } from "./raster.ts";
 * assertRaster({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array(2) });
 * ```
 */
export function assertRaster(image: RasterImage, what = "image"): void {
  const { width, height, channels, depth, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(
      `Cannot use ${what} as width and height must be positive integers: current value is ${width}x${height}`,
    );
  }
  if (![1, 2, 3, 4].includes(channels)) {
    throw new RangeError(
      `Cannot use ${what} as channels must be 1, 2, 3 or 4: current value is ${channels}`,
    );
  }
  const expectedType = depth === 8 ? Uint8Array : depth === 16 ? Uint16Array : undefined;
  if (expectedType === undefined || !(data instanceof expectedType)) {
    throw new TypeError(
      `Cannot use ${what} as depth ${depth} needs ${expectedType?.name ?? "depth 8 or 16"} data: ` +
        `current value is ${data?.constructor?.name}`,
    );
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `Cannot use ${what} as its data must hold ${width}x${height}x${channels} values: ` +
        `current value is ${data.length}`,
    );
  }
}
