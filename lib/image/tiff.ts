/**
 * TIFF decoding with the "tiff" package (pure JS): every page of a stack, both byte
 * orders, 8 and 16 bits, uncompressed, LZW or Deflate. Pages are checked before their
 * pixels are read, so what cannot be decoded fails with a SyntaxError naming the file
 * and the page instead of coming back as wrong pixels.
 *
 * @module
 */
import { decode, type TiffIfd } from "tiff";
import type { RasterImage } from "./raster.ts";

/** Options for {@linkcode decodeTiff}. */
export interface DecodeTiffOptions {
  /** Names the file in error messages. Default "TIFF data". */
  source?: string;
  /** 0-based indices of the pages to decode, in the file's order. Default: all pages. */
  pages?: number[];
}

const COMPRESSIONS: Record<number, string> = {
  1: "none",
  5: "LZW",
  8: "Deflate",
  32946: "Deflate (old code)",
};
const OTHER_COMPRESSIONS: Record<number, string> = {
  2: "CCITT RLE",
  3: "CCITT Group 3",
  4: "CCITT Group 4",
  6: "old-style JPEG",
  7: "JPEG",
  32773: "PackBits",
  34887: "LERC",
  34925: "LZMA",
  50000: "Zstandard",
  50001: "WebP",
};
const PHOTOMETRICS: Record<number, string> = {
  0: "WhiteIsZero",
  1: "BlackIsZero",
  2: "RGB",
  3: "palette",
  4: "transparency mask",
  5: "CMYK",
  6: "YCbCr",
  8: "CIELab",
};
const SAMPLE_FORMATS: Record<number, string> = {
  2: "signed integer",
  3: "IEEE float",
  4: "undefined",
  5: "complex integer",
  6: "complex float",
};

function _asArray(value: number | number[] | undefined): number[] {
  return value === undefined ? [] : typeof value === "number" ? [value] : Array.from(value);
}

/** Names what about one page the decoder cannot handle, or returns undefined if all is well. */
function _unsupported(ifd: TiffIfd): [string, string] | undefined {
  const photometric = ifd.type;
  if (![0, 1, 2, 3].includes(photometric)) {
    const name = PHOTOMETRICS[photometric] ?? "unknown";
    return ["must be greyscale, RGB or palette", `photometric ${photometric} (${name})`];
  }
  if (COMPRESSIONS[ifd.compression] === undefined) {
    const name = OTHER_COMPRESSIONS[ifd.compression] ?? "unknown";
    return ["must be uncompressed, LZW or Deflate", `compression ${ifd.compression} (${name})`];
  }
  const format = _asArray(ifd.get("SampleFormat") ?? 1).find((f) => f !== 1);
  if (format !== undefined) {
    const name = SAMPLE_FORMATS[format] ?? "unknown";
    return ["must have unsigned integer samples", `sample format ${format} (${name})`];
  }
  if (ifd.get("BitsPerSample") === undefined) {
    return ["must have a BitsPerSample tag or a spare tag to hold it", "none"];
  }
  const bits = _asArray(ifd.get("BitsPerSample"));
  if (bits.some((b) => b !== bits[0]) || ![1, 8, 16].includes(bits[0])) {
    return ["must have 1, 8 or 16-bit samples", `${bits.join(", ")} bits`];
  }
  const samples = ifd.samplesPerPixel;
  const allowed = photometric === 2 ? [3, 4] : photometric === 3 ? [1] : [1, 2];
  if (!allowed.includes(samples)) {
    const what = `${allowed.join(" or ")} samples per pixel as ${PHOTOMETRICS[photometric]}`;
    return [`must have ${what}`, `${samples}`];
  }
  const colours = _asArray(ifd.get("ColorMap")).length;
  if (photometric === 3 && (bits[0] !== 8 || colours !== 3 * 256)) {
    return [
      "must have 8-bit indices and 768 ColorMap entries as palette",
      `${bits[0]} bits, ${colours} entries`,
    ];
  }
  if (bits[0] === 1 && samples !== 1) {
    return ["must have one sample per pixel at 1 bit", `${samples}`];
  }
  if (samples > 1 && ifd.planarConfiguration !== 1) {
    return ["must have interleaved samples (PlanarConfiguration 1)", `${ifd.planarConfiguration}`];
  }
  // The "tiff" package reads only the first sample of each pixel from tiles.
  if (samples > 1 && ifd.tiled) return ["must have one sample per pixel when tiled", `${samples}`];
  if (![1, 2].includes(ifd.predictor) || (ifd.predictor === 2 && bits[0] === 1)) {
    const what = "no predictor (1) or horizontal differencing (2) on 8/16 bits";
    return [`must use ${what}`, `${ifd.predictor}`];
  }
  const orientation = ifd.orientation ?? 1;
  if (orientation !== 1) return ["must be oriented top-left (1)", `${orientation}`];
  return undefined;
}

// Tags that pixel decoding never reads, in the order they may be given up (see below).
const SPARE_TAGS = [305, 282, 283, 296, 306, 315, 316, 269, 285, 271, 272, 270];

/**
 * Gives every page without a BitsPerSample tag (258) one saying 1 bit, its TIFF default,
 * which the "tiff" package does not apply (tifffile writes bool masks so). The entry of a
 * tag that decoding never reads (Software, resolution, ...) is overwritten in a copy.
 * Returns the bytes unchanged when no page needs it or no spare entry exists.
 */
function _defaultBitsPerSample(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  let patched: Uint8Array | undefined;
  let ifd = view.getUint32(4, little);
  for (let page = 0; ifd !== 0 && ifd + 2 <= bytes.length && page < 100_000; page++) {
    const entries = view.getUint16(ifd, little);
    const end = ifd + 2 + 12 * entries;
    if (end + 4 > bytes.length) break;
    const tags = new Map<number, number>(); // tag -> entry offset
    for (let at = ifd + 2; at < end; at += 12) tags.set(view.getUint16(at, little), at);
    const spare = SPARE_TAGS.map((tag) => tags.get(tag)).find((at) => at !== undefined);
    if (!tags.has(258) && spare !== undefined) {
      patched ??= bytes.slice();
      const out = new DataView(patched.buffer);
      out.setUint16(spare, 258, little); // BitsPerSample, SHORT, count 1, value 1
      out.setUint16(spare + 2, 3, little);
      out.setUint32(spare + 4, 1, little);
      out.setUint32(spare + 8, 0, little);
      out.setUint16(spare + 8, 1, little);
    }
    ifd = view.getUint32(end, little);
  }
  return patched ?? bytes;
}

/** One decoded page as a raster: 1-bit scaled to 0/255, palette indices expanded to RGB. */
function _toRaster(ifd: TiffIfd): RasterImage {
  const { width, height } = ifd;
  const pixels = width * height;
  if (ifd.type === 3) {
    const palette = ifd.palette!; // 16-bit colour map entries; keep their high byte as PIL does
    const indices = ifd.data as Uint8Array;
    const rgb = new Uint8Array(pixels * 3);
    for (let i = 0; i < pixels; i++) {
      const [r, g, b] = palette[indices[i]];
      rgb[3 * i] = r >> 8;
      rgb[3 * i + 1] = g >> 8;
      rgb[3 * i + 2] = b >> 8;
    }
    return { width, height, channels: 3, depth: 8, data: rgb };
  }
  const channels = ifd.samplesPerPixel as 1 | 2 | 3 | 4;
  if (ifd.bitsPerSample === 1) {
    const data = (ifd.data as Uint8Array).map((bit) => bit * 255);
    return { width, height, channels, depth: 8, data };
  }
  const data = ifd.data as Uint8Array | Uint16Array;
  return { width, height, channels, depth: ifd.bitsPerSample === 16 ? 16 : 8, data };
}

/**
 * Decodes the pages of a TIFF file (a single image or a stack such as the Lucchi EM
 * volumes) into rasters: grey (+alpha) or RGB(A), 8 or 16 bits per sample, either byte
 * order, uncompressed, LZW or Deflate, with or without the horizontal predictor, in
 * strips (or in tiles for one sample per pixel). WhiteIsZero pages are inverted to
 * BlackIsZero as the TIFF spec and PIL do (tifffile.imread returns the stored values, and
 * tifffile writes bool arrays as WhiteIsZero, so such masks come back inverted), 1-bit
 * pages are scaled to 0/255 and palette pages expanded to 8-bit RGB.
 * Anything else (float or 32-bit samples, JPEG or PackBits compression, CMYK, planar
 * RGB, BigTIFF, truncated data) throws a SyntaxError naming `options.source` and the page.
 *
 * @example
 * ```ts ignore
 * import { decodeTiff } from "./tiff.ts";
 * const slices = decodeTiff(await Deno.readFile("volume.tif"), { source: "volume.tif" });
 * console.log(slices.length, slices[0].width, slices[0].height, slices[0].depth);
 * ```
 */
export function decodeTiff(bytes: Uint8Array, options: DecodeTiffOptions = {}): RasterImage[] {
  const source = options.source ?? "TIFF data";
  const order = bytes[0] === 0x49 && bytes[1] === 0x49 ? "II" : "MM";
  if (bytes.length >= 4 && (order === "II" ? bytes[2] : bytes[3]) === 43) {
    throw new SyntaxError(
      `Cannot decode ${source} as TIFF as BigTIFF is not supported: current value is version 43`,
    );
  }
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) {
    // The package reads strips through DataViews on the whole underlying buffer, so a
    // truncated view on a larger buffer would read past its end without an error.
    bytes = bytes.slice();
  }
  let headers: TiffIfd[];
  try {
    bytes = _defaultBitsPerSample(bytes);
    headers = decode(bytes, { ignoreImageData: true });
  } catch (error) {
    throw new SyntaxError(
      `Cannot decode ${source} as TIFF as its header and page directories must be readable ` +
        `(tiff: ${(error as Error).message}): current value is ${bytes.length} bytes`,
    );
  }
  const count = headers.length;
  const pages = options.pages ?? headers.map((_, i) => i);
  for (const page of pages) {
    if (!Number.isInteger(page) || page < 0 || page >= count) {
      throw new RangeError(
        `Cannot decode page ${page} of ${source} as it holds pages 0 to ${count - 1}: ` +
          `current value is ${page}`,
      );
    }
    const problem = _unsupported(headers[page]);
    if (problem !== undefined) {
      throw new SyntaxError(
        `Cannot decode ${source} as TIFF as page ${page} of ${count} (0-based) ${problem[0]}: ` +
          `current value is ${problem[1]}`,
      );
    }
  }
  const decodePage = (page: number): TiffIfd => {
    try {
      return decode(bytes, { pages: [page] })[0];
    } catch (error) {
      throw new SyntaxError(
        `Cannot decode ${source} as TIFF as page ${page} of ${count} (0-based) must have ` +
          `complete, valid pixel data (tiff: ${(error as Error).message}): current value is ` +
          `${bytes.length} bytes, truncated or corrupt`,
      );
    }
  };
  // The package returns the pages asked for in file order, once each.
  const wanted = [...new Set(pages)].sort((a, b) => a - b);
  let ifds: TiffIfd[];
  try {
    ifds = decode(bytes, { pages: wanted });
  } catch {
    ifds = wanted.map(decodePage); // again page by page, to name the page that fails
  }
  const rasters = new Map(wanted.map((page, i) => [page, _toRaster(ifds[i])]));
  for (const [page, image] of rasters) {
    if (image.data.length !== image.width * image.height * image.channels) {
      throw new SyntaxError(
        `Cannot decode ${source} as TIFF as page ${page} of ${count} (0-based) must hold ` +
          `${image.width}x${image.height}x${image.channels} samples: current value is ${image.data.length}`,
      );
    }
  }
  return pages.map((page) => rasters.get(page)!);
}
