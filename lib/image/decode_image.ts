/**
 * Decoding an image file of any supported format, chosen by its first bytes (not its
 * name, which may lie).
 *
 * @module
 */
import { decodeJpeg } from "./jpeg.ts";
import { decodePng } from "./png.ts";
import type { RasterImage } from "./raster.ts";
import { decodeTiff } from "./tiff.ts";

type ImageFormat = "png" | "jpeg" | "tiff";

function _sniff(bytes: Uint8Array, source: string): ImageFormat {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return "tiff";
  if (starts(0x49, 0x49, 0x2b, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2b)) return "tiff"; // BigTIFF: refused there
  const first = Array.from(
    bytes.subarray(0, 8),
    (b) => b.toString(16).padStart(2, "0").toUpperCase(),
  ).join(" ");
  throw new SyntaxError(
    `Cannot decode ${source} as an image as it must be PNG, JPEG or TIFF: ` +
      `current first bytes are ${first === "" ? "none (empty)" : first}`,
  );
}

/**
 * Decodes PNG, JPEG or TIFF bytes, recognised by their magic bytes (PNG 89 50 4E 47,
 * JPEG FF D8 FF, TIFF "II*\0" or "MM\0*"); for a TIFF stack, the first page only.
 * Throws SyntaxError naming `options.source` for anything else or anything unreadable.
 *
 * @example
 * ```ts
 * import { decodeImage } from "./decode_image.ts";
 * import { encodePng } from "./png.ts";
 * const png = encodePng({ width: 1, height: 1, channels: 1, depth: 8, data: new Uint8Array([7]) });
 * console.assert(decodeImage(png, { source: "dot.png" }).data[0] === 7);
 * ```
 */
export function decodeImage(bytes: Uint8Array, options: { source?: string } = {}): RasterImage {
  const source = options.source ?? "image data";
  const format = _sniff(bytes, source);
  if (format === "png") return decodePng(bytes, { source });
  if (format === "jpeg") return decodeJpeg(bytes, { source });
  return decodeTiff(bytes, { source, pages: [0] })[0];
}

/**
 * Decodes every page of a TIFF stack (e.g. an EM volume), or a PNG or JPEG as a stack of
 * one, recognised by magic bytes as {@linkcode decodeImage}.
 *
 * @example
 * ```ts ignore
 * import { decodeImageStack } from "./decode_image.ts";
 * const slices = decodeImageStack(await Deno.readFile("training.tif"), { source: "training.tif" });
 * console.log(`${slices.length} slices of ${slices[0].width}x${slices[0].height}`);
 * ```
 */
export function decodeImageStack(
  bytes: Uint8Array,
  options: { source?: string } = {},
): RasterImage[] {
  const source = options.source ?? "image data";
  const format = _sniff(bytes, source);
  if (format === "tiff") return decodeTiff(bytes, { source });
  return [format === "png" ? decodePng(bytes, { source }) : decodeJpeg(bytes, { source })];
}
