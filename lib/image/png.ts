/**
 * PNG decoding (fast-png) and encoding (png_encode.ts); pure JS, so the same bytes in Deno
 * and browsers.
 *
 * @module
 */
import { decode } from "fast-png";
import type { RasterImage } from "./raster.ts";

export { encodePng } from "./png_encode.ts";

/** Decodes PNG bytes (8/16-bit; grey, grey+alpha, RGB, RGBA; palettes expanded to RGB/RGBA). */
export function decodePng(bytes: Uint8Array, options: { source?: string } = {}): RasterImage {
  const source = options.source ?? "PNG data";
  let png;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new SyntaxError(`Cannot decode ${source} as PNG: ${(error as Error).message}`);
  }
  let { data, channels } = png as { data: Uint8Array | Uint16Array; channels: number };
  const depth = png.depth;
  if (png.palette !== undefined) {
    // Indexed colour: expand to RGB (or RGBA with a transparency table).
    const palette = png.palette as number[][];
    const out = new Uint8Array(png.width * png.height * palette[0].length);
    const stride = palette[0].length;
    for (let i = 0; i < png.width * png.height; i++) out.set(palette[data[i]], i * stride);
    return { width: png.width, height: png.height, channels: stride as 3 | 4, depth: 8, data: out };
  }
  if (depth !== 8 && depth !== 16) {
    // 1/2/4-bit grey: fast-png leaves the samples packed (rows padded to whole bytes, most
    // significant bits first); unpack and scale so 0 and the maximum map to 0 and 255.
    data = _unpackLowDepth(data as Uint8Array, png.width, png.height, channels, depth);
  }
  return {
    width: png.width,
    height: png.height,
    channels: channels as 1 | 2 | 3 | 4,
    depth: depth === 16 ? 16 : 8,
    data,
  };
}

function _unpackLowDepth(
  packed: Uint8Array,
  width: number,
  height: number,
  channels: number,
  depth: number,
): Uint8Array {
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const maxValue = 2 ** depth - 1;
  const scale = 255 / maxValue;
  const out = new Uint8Array(perRow * height);
  if (packed.length === out.length) {
    // Already one sample per byte (a decoder that unpacks): only scale.
    for (let i = 0; i < out.length; i++) out[i] = Math.round(packed[i] * scale);
    return out;
  }
  if (packed.length < rowBytes * height) {
    throw new SyntaxError(
      `Cannot decode a ${depth}-bit PNG as its samples must fill ${rowBytes * height} bytes: ` +
        `current value is ${packed.length}`,
    );
  }
  const perByte = 8 / depth;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < perRow; x++) {
      const byte = packed[y * rowBytes + Math.floor(x / perByte)];
      const shift = 8 - depth * (1 + (x % perByte));
      out[y * perRow + x] = Math.round(((byte >> shift) & maxValue) * scale);
    }
  }
  return out;
}
