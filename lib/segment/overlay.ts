/**
 * Mask outlines drawn over an RGB image, e.g. the prediction in one colour and the
 * ground truth in another, for review figures.
 *
 * @module
 */

/** One mask to outline (non-zero = inside) and the colour of its outline. */
export interface Outline {
  mask: Uint8Array;
  color: readonly [number, number, number];
}

/** Options for {@linkcode overlayOutlines}. */
export interface OverlayOptions {
  /** Outline width in pixels, drawn inside the mask. Default 2. */
  thickness?: number;
}

/**
 * The pixels of a mask within `thickness` 4-neighbour steps of its outside (pixels
 * beyond the image count as outside): the boundary (mask pixels with a 4-neighbour
 * outside) grown inwards to `thickness` pixels. Equals `mask & ~binary_erosion(mask,
 * iterations=thickness, border_value=0)` in scipy.ndimage.
 *
 * @example
 * ```ts
 * import { outlineBand } from "./overlay.ts";
 * const mask = new Uint8Array(25).fill(1); // a full 5x5 mask: the image edge is its outline
 * console.assert(outlineBand(mask, 5, 5, 1).reduce((a, b) => a + b) === 16);
 * console.assert(outlineBand(mask, 5, 5, 2)[12] === 0); // only the centre stays inside
 * ```
 */
export function outlineBand(
  mask: Uint8Array,
  width: number,
  height: number,
  thickness: number,
): Uint8Array {
  if (mask.length !== width * height) {
    throw new RangeError(
      `Cannot outline a mask as it must hold ${width}x${height} values: ` +
        `current value is ${mask.length}`,
    );
  }
  if (!Number.isInteger(thickness) || thickness < 1) {
    throw new RangeError(
      `Cannot outline a mask as thickness must be a positive integer: current value is ${thickness}`,
    );
  }
  // Breadth-first from the boundary inwards, one 4-neighbour step per thickness pixel.
  const band = new Uint8Array(width * height);
  let frontier: number[] = [];
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (mask[i] === 0) continue;
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
        mask[i - 1] === 0 || mask[i + 1] === 0 || mask[i - width] === 0 || mask[i + width] === 0;
      if (edge) {
        band[i] = 1;
        frontier.push(i);
      }
    }
  }
  for (let step = 2; step <= thickness && frontier.length > 0; step++) {
    const next: number[] = [];
    for (const i of frontier) {
      const x = i % width;
      // All four neighbours of an inner-band pixel lie inside the image unless it is on
      // the edge; the checks keep edge pixels from wrapping to the other side.
      const neighbours = [
        x > 0 ? i - 1 : -1,
        x < width - 1 ? i + 1 : -1,
        i >= width ? i - width : -1,
        i + width < mask.length ? i + width : -1,
      ];
      for (const j of neighbours) {
        if (j >= 0 && mask[j] !== 0 && band[j] === 0) {
          band[j] = 1;
          next.push(j);
        }
      }
    }
    frontier = next;
  }
  return band;
}

/**
 * A copy of an RGB image (width x height x 3, interleaved) with each mask's outline
 * painted in its colour: the {@linkcode outlineBand} of `thickness` pixels (default 2),
 * drawn inside the mask. Outlines are painted in order, so a later one covers an earlier.
 *
 * @example
 * ```ts
 * import { overlayOutlines } from "./overlay.ts";
 * const rgb = new Uint8Array(4 * 4 * 3); // black 4x4
 * const mask = new Uint8Array(16).fill(1);
 * const out = overlayOutlines(rgb, 4, 4, [{ mask, color: [255, 0, 0] }], { thickness: 1 });
 * console.assert(out[0] === 255 && out[(1 * 4 + 1) * 3] === 0 && rgb[0] === 0);
 * ```
 */
export function overlayOutlines(
  rgb: Uint8Array,
  width: number,
  height: number,
  outlines: readonly Outline[],
  options: OverlayOptions = {},
): Uint8Array {
  const thickness = options.thickness ?? 2;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(
      `Cannot overlay outlines as width and height must be positive integers: ` +
        `current value is ${width}x${height}`,
    );
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `Cannot overlay outlines as the RGB image must hold ${width}x${height}x3 values: ` +
        `current value is ${rgb.length}`,
    );
  }
  if (!Number.isInteger(thickness) || thickness < 1) {
    throw new RangeError(
      `Cannot overlay outlines as thickness must be a positive integer: current value is ${thickness}`,
    );
  }
  const out = rgb.slice();
  for (const { mask, color } of outlines) {
    if (color.length !== 3 || !color.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      throw new RangeError(
        `Cannot overlay outlines as a colour must be 3 integers in [0, 255]: ` +
          `current value is [${color}]`,
      );
    }
    const band = outlineBand(mask, width, height, thickness);
    for (let i = 0; i < band.length; i++) {
      if (band[i] === 0) continue;
      out[3 * i] = color[0];
      out[3 * i + 1] = color[1];
      out[3 * i + 2] = color[2];
    }
  }
  return out;
}
