/**
 * Turning a decoded mask image into a 0/1 foreground map.
 *
 * @module
 */
import { toGrey8 } from "./convert.ts";
import { assertRaster, type RasterImage } from "./raster.ts";

/** Options for {@linkcode binarizeMask}. */
export interface BinarizeMaskOptions {
  /**
   * Foreground is grey > threshold, on the 8-bit scale 0..255. Default 127: the glomeruli
   * masks are JPEGs whose 0/255 edges come back as in-between values.
   */
  threshold?: number;
}

/**
 * Binarises a mask image: 1 where its grey value is above the threshold, else 0
 * (width * height values). 8-bit images are compared through {@linkcode toGrey8} (grey
 * as is, RGB by PIL's luma, alpha ignored); 16-bit ones compare their 16-bit grey value
 * (RGB by the same luma weights) with threshold * 257, so 16-bit 65535 is 8-bit 255.
 *
 * @example
 * ```ts
 * import { binarizeMask } from "./mask.ts";
 * const mask = { width: 4, height: 1, channels: 1 as const, depth: 8 as const, data: new Uint8Array([0, 127, 128, 255]) };
 * console.assert(binarizeMask(mask).join() === "0,0,1,1");
 * ```
 */
export function binarizeMask(image: RasterImage, options: BinarizeMaskOptions = {}): Uint8Array {
  const threshold = options.threshold ?? 127;
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 255) {
    throw new RangeError(
      `Cannot binarize a mask as the threshold must be within 0..255: current value is ${threshold}`,
    );
  }
  assertRaster(image, "the mask to binarize");
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels);
  if (image.depth === 8) {
    const grey = toGrey8(image);
    for (let i = 0; i < pixels; i++) out[i] = grey[i] > threshold ? 1 : 0;
    return out;
  }
  const { channels, data } = image;
  const limit = threshold * 257;
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    const grey = channels <= 2
      ? data[j]
      : Math.floor((data[j] * 19595 + data[j + 1] * 38470 + data[j + 2] * 7471 + 32768) / 65536);
    out[i] = grey > limit ? 1 : 0;
  }
  return out;
}
