/**
 * JPEG decoding: jpeg-js (pure JS) does the entropy decoding and inverse DCT; the colour
 * conversion and chroma upsampling are done here the way libjpeg does them (what PIL,
 * OpenCV and the browsers use), so pixels stay within a few levels of a PIL decode.
 *
 * @module
 */
import jpeg from "jpeg-js";
import type { RasterImage } from "./raster.ts";

/** The frame header facts the colour handling needs (jpeg-js does not expose them). */
interface JpegFrame {
  width: number;
  height: number;
  /** Per component, in frame order: id and sampling factors. */
  components: { id: number; h: number; v: number }[];
  sawJfif: boolean;
  /** The APP14 Adobe transform flag (0 RGB/CMYK, 1 YCbCr, 2 YCCK) and where it sits. */
  adobe?: { transform: number; offset: number };
}

const SOF_NAMES: Record<number, string> = {
  0xc3: "SOF3 (lossless)",
  0xc5: "SOF5 (differential)",
  0xc6: "SOF6 (differential progressive)",
  0xc7: "SOF7 (differential lossless)",
  0xc9: "SOF9 (arithmetic)",
  0xca: "SOF10 (arithmetic progressive)",
  0xcb: "SOF11 (arithmetic lossless)",
  0xcd: "SOF13 (arithmetic differential)",
  0xce: "SOF14 (arithmetic differential progressive)",
  0xcf: "SOF15 (arithmetic differential lossless)",
};

/** Walks the marker segments up to the first scan, checking what jpeg-js can decode. */
function _readJpegFrame(bytes: Uint8Array, source: string): JpegFrame {
  const fail = (why: string, value: string): never => {
    throw new SyntaxError(`Cannot decode ${source} as JPEG as ${why}: current value is ${value}`);
  };
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    fail("it must start with the SOI marker FF D8", _hex(bytes.subarray(0, 2)));
  }
  let sawJfif = false;
  let adobe: JpegFrame["adobe"];
  let frame: JpegFrame | undefined;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) {
      fail(`a marker must start at byte ${offset}`, _hex([bytes[offset]]));
    }
    const marker = bytes[offset + 1];
    if (marker === 0xff || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += marker === 0xff ? 1 : 2; // fill byte or a marker without a segment
      continue;
    }
    if (marker === 0xda) {
      if (frame === undefined) fail("a frame header (SOF) must come before the first scan", "none");
      return { ...frame!, sawJfif, adobe };
    }
    const length = (bytes[offset + 2] << 8) | bytes[offset + 3];
    const body = offset + 4;
    if (body + length - 2 > bytes.length) break;
    if (marker === 0xe0 && _ascii(bytes, body, 5) === "JFIF\0") sawJfif = true;
    if (marker === 0xee && _ascii(bytes, body, 5) === "Adobe" && length >= 14) {
      adobe = { transform: bytes[body + 11], offset: body + 11 };
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (SOF_NAMES[marker] !== undefined) {
        fail("only baseline and progressive Huffman JPEGs are supported", SOF_NAMES[marker]);
      }
      if (bytes[body] !== 8) fail("samples must have 8 bits of precision", `${bytes[body]}`);
      const count = bytes[body + 5];
      if (count !== 1 && count !== 3) {
        fail("only 1 (grey) or 3 (colour) components are supported", `${count}`);
      }
      const components = [];
      for (let c = 0; c < count; c++) {
        const at = body + 6 + 3 * c;
        components.push({ id: bytes[at], h: bytes[at + 1] >> 4, v: bytes[at + 1] & 15 });
      }
      const height = (bytes[body + 1] << 8) | bytes[body + 2];
      const width = (bytes[body + 3] << 8) | bytes[body + 4];
      frame = { width, height, components, sawJfif, adobe };
    }
    offset = body + length - 2;
  }
  return fail("it ends before its first scan (truncated)", `${bytes.length} bytes`);
}

function _ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function _hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(" ");
}

/** Whether libjpeg would read three components as YCbCr (jdapimin.c's rules). */
function _isYcbcr(frame: JpegFrame): boolean {
  if (frame.sawJfif) return true;
  if (frame.adobe !== undefined) return frame.adobe.transform !== 0;
  const [a, b, c] = frame.components.map((component) => component.id);
  return !(a === 0x52 && b === 0x47 && c === 0x42); // ids 'R', 'G', 'B' mean RGB
}

// libjpeg's fixed-point YCbCr -> RGB tables (jdcolor.c, 16 fraction bits).
const ONE_HALF = 1 << 15;
const _fix = (x: number) => Math.floor(x * 65536 + 0.5);
const CR_R = new Int32Array(256), CB_B = new Int32Array(256);
const CR_G = new Int32Array(256), CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = (_fix(1.402) * x + ONE_HALF) >> 16;
  CB_B[i] = (_fix(1.772) * x + ONE_HALF) >> 16;
  CR_G[i] = -_fix(0.71414) * x;
  CB_G[i] = -_fix(0.34414) * x + ONE_HALF;
}

/**
 * Rebuilds one chroma plane at full size from jpeg-js's nearest-neighbour copy, with
 * libjpeg's "fancy" triangle filter (jdsample.c h2v1/h2v2_fancy_upsample: weights 3/4
 * and 1/4 per axis, edges replicated). Other sampling ratios stay nearest-neighbour.
 */
function _upsampleChroma(
  planes: Uint8Array,
  channel: number,
  width: number,
  height: number,
  factorX: number,
  factorY: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  const fancy = factorX === 2 && (factorY === 1 || factorY === 2);
  if (!fancy) {
    for (let i = 0; i < out.length; i++) out[i] = planes[3 * i + channel];
    return out;
  }
  const cw = Math.ceil(width / 2), ch = Math.ceil(height / factorY);
  const native = new Int32Array(cw * ch); // the decoded chroma samples
  for (let cy = 0; cy < ch; cy++) {
    const row = cy * factorY * width;
    for (let cx = 0; cx < cw; cx++) native[cy * cw + cx] = planes[3 * (row + 2 * cx) + channel];
  }
  const sums = new Int32Array(cw);
  // h2v2 sums carry a factor 4 (rounded with +8/+7 >> 4), h2v1 a factor 1 (+1/+2 >> 2).
  const [biasLeft, biasRight, shift] = factorY === 2 ? [8, 7, 4] : [1, 2, 2];
  for (let y = 0; y < height; y++) {
    const cy = Math.floor(y / factorY);
    if (factorY === 2) {
      // Nearest chroma row weighs 3, the next nearest (above for even y) weighs 1.
      const other = Math.min(ch - 1, Math.max(0, y % 2 === 0 ? cy - 1 : cy + 1));
      for (let cx = 0; cx < cw; cx++) sums[cx] = 3 * native[cy * cw + cx] + native[other * cw + cx];
    } else {
      for (let cx = 0; cx < cw; cx++) sums[cx] = native[cy * cw + cx];
    }
    const outRow = y * width;
    for (let cx = 0; cx < cw; cx++) {
      const here = 3 * sums[cx];
      const x = 2 * cx;
      out[outRow + x] = (here + sums[cx > 0 ? cx - 1 : 0] + biasLeft) >> shift;
      if (x + 1 < width) {
        out[outRow + x + 1] = (here + sums[cx + 1 < cw ? cx + 1 : cw - 1] + biasRight) >> shift;
      }
    }
  }
  return out;
}

/**
 * Decodes a baseline or progressive JPEG. Greyscale files come back with 1 channel,
 * colour files with 3 (RGB), both 8-bit. YCbCr is converted with libjpeg's tables and
 * 4:2:2 / 4:2:0 chroma is upsampled with libjpeg's triangle filter, so the result differs
 * from PIL's (libjpeg-turbo, islow IDCT) only by inverse-DCT rounding: on a glomeruli
 * 2448x2048 JPEG, pixels within 3 levels (mean |diff| 0.14, per-channel means +0.15 at
 * most; jpeg-js's own conversion was up to 29 levels off).
 * Throws SyntaxError for what it cannot decode (truncated files, lossless, arithmetic,
 * 12-bit or CMYK JPEGs), naming `options.source`.
 *
 * @example
 * ```ts
 * import jpeg from "jpeg-js";
 * import { decodeJpeg } from "./jpeg.ts";
 * const rgba = new Uint8Array(16 * 8 * 4).fill(200);
 * const bytes = new Uint8Array(jpeg.encode({ width: 16, height: 8, data: rgba }, 90).data);
 * const image = decodeJpeg(bytes, { source: "grey.jpg" });
 * console.assert(image.width === 16 && image.channels === 3 && Math.abs(image.data[0] - 200) <= 1);
 * ```
 */
export function decodeJpeg(bytes: Uint8Array, options: { source?: string } = {}): RasterImage {
  const source = options.source ?? "JPEG data";
  const frame = _readJpegFrame(bytes, source);
  let input = bytes;
  if (frame.adobe !== undefined && frame.adobe.transform !== 0) {
    // jpeg-js forces its own (nearest, truncating) conversion when the Adobe flag asks
    // for YCbCr; clear the flag in a copy so it hands over the raw components.
    input = bytes.slice();
    input[frame.adobe.offset] = 0;
  }
  let planes: Uint8Array, width: number, height: number;
  try {
    ({ data: planes, width, height } = jpeg.decode(input, {
      useTArray: true,
      formatAsRGBA: false,
      colorTransform: false,
      maxMemoryUsageInMB: 2048,
      maxResolutionInMP: 400,
    }));
  } catch (error) {
    const n = bytes.length;
    const ended = bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
    throw new SyntaxError(
      `Cannot decode ${source} as JPEG as its scan data must be complete and valid ` +
        `(jpeg-js: ${(error as Error).message}): current value is ${n} bytes ` +
        (ended ? "ending with the EOI marker FF D9" : "not ending with EOI (truncated?)"),
    );
  }
  const pixels = width * height;
  if (frame.components.length === 1) {
    const grey = new Uint8Array(pixels);
    for (let i = 0; i < pixels; i++) grey[i] = planes[3 * i];
    return { width, height, channels: 1, depth: 8, data: grey };
  }
  if (!_isYcbcr(frame)) return { width, height, channels: 3, depth: 8, data: planes };
  const maxH = Math.max(...frame.components.map((c) => c.h));
  const maxV = Math.max(...frame.components.map((c) => c.v));
  const [, cb, cr] = frame.components;
  const cbFull = _upsampleChroma(planes, 1, width, height, maxH / cb.h, maxV / cb.v);
  const crFull = _upsampleChroma(planes, 2, width, height, maxH / cr.h, maxV / cr.v);
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, o = 0; i < pixels; i++, o += 3) {
    const y = planes[3 * i], b = cbFull[i], r = crFull[i];
    const red = y + CR_R[r], green = y + ((CB_G[b] + CR_G[r]) >> 16), blue = y + CB_B[b];
    rgb[o] = red < 0 ? 0 : red > 255 ? 255 : red;
    rgb[o + 1] = green < 0 ? 0 : green > 255 ? 255 : green;
    rgb[o + 2] = blue < 0 ? 0 : blue > 255 ? 255 : blue;
  }
  return { width, height, channels: 3, depth: 8, data: rgb };
}
