/**
 * Pixel conversions to the two layouts the segmentation pipeline consumes: 8-bit grey
 * (masks, openness) and 8-bit RGB (model input).
 *
 * @module
 */
import { assertRaster, type RasterImage } from "./raster.ts";

/**
 * Converts any raster to 8-bit grey, width * height values, row-major.
 *
 * - RGB(A) -> ITU-R 601-2 luma exactly as PIL's `convert("L")` (Pillow 9.4 Convert.c
 *   `L24`): (R * 19595 + G * 38470 + B * 7471 + 32768) >> 16, i.e. 0.299 R + 0.587 G +
 *   0.114 B rounded half up. Checked equal to Pillow on all 2^24 RGB triples.
 * - 16-bit samples -> the high byte (v >> 8, i.e. floor(v / 256)); for 16-bit RGB the
 *   luma is taken on the 16-bit values first, then shifted.
 * - Alpha is dropped, not composited (as PIL does for RGBA and LA to L).
 *
 * @example
 * ```ts
 * import { toGrey8 } from "./convert.ts";
 * const rgb = { width: 2, height: 1, channels: 3 as const, depth: 8 as const, data: new Uint8Array([255, 0, 0, 10, 20, 30]) };
 * console.assert(toGrey8(rgb).join() === "76,18");
 * ```
 */
export function toGrey8(image: RasterImage): Uint8Array {
  assertRaster(image, "the image to convert to grey");
  const { width, height, channels, depth, data } = image;
  const pixels = width * height;
  const out = new Uint8Array(pixels);
  const shift = depth === 16 ? 8 : 0;
  if (channels <= 2) {
    for (let i = 0, j = 0; i < pixels; i++, j += channels) out[i] = data[j] >> shift;
    return out;
  }
  if (depth === 8) {
    for (let i = 0, j = 0; i < pixels; i++, j += channels) {
      out[i] = (data[j] * 19595 + data[j + 1] * 38470 + data[j + 2] * 7471 + 32768) >> 16;
    }
    return out;
  }
  // 16-bit sums reach 2^32, past the int32 range of >>; divide in doubles instead.
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    const luma = (data[j] * 19595 + data[j + 1] * 38470 + data[j + 2] * 7471 + 32768) / 65536;
    out[i] = Math.floor(luma) >> 8;
  }
  return out;
}

/**
 * Converts any raster to 8-bit RGB, width * height * 3 values: grey is replicated into
 * the three channels, 16-bit samples keep their high byte (v >> 8), alpha is dropped.
 *
 * @example
 * ```ts
 * import { toRgb8 } from "./convert.ts";
 * const grey = { width: 2, height: 1, channels: 1 as const, depth: 16 as const, data: new Uint16Array([0x1234, 0xffff]) };
 * console.assert(toRgb8(grey).join() === "18,18,18,255,255,255");
 * ```
 */
export function toRgb8(image: RasterImage): Uint8Array {
  assertRaster(image, "the image to convert to RGB");
  const { width, height, channels, depth, data } = image;
  const pixels = width * height;
  const out = new Uint8Array(pixels * 3);
  const shift = depth === 16 ? 8 : 0;
  if (channels === 3 && depth === 8) {
    out.set(data);
    return out;
  }
  if (channels <= 2) {
    for (let i = 0, j = 0, o = 0; i < pixels; i++, j += channels, o += 3) {
      const v = data[j] >> shift;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
    }
    return out;
  }
  for (let i = 0, j = 0, o = 0; i < pixels; i++, j += channels, o += 3) {
    out[o] = data[j] >> shift;
    out[o + 1] = data[j + 1] >> shift;
    out[o + 2] = data[j + 2] >> shift;
  }
  return out;
}
