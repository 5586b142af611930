/**
 * Images: the raster type, PNG encoding and decoding, JPEG and TIFF decoding (sniffed by
 * decodeImage), conversions to grey/RGB, mask binarisation and Label Studio brush masks.
 *
 * @module
 */
export * from "./raster.ts";
export * from "./png.ts";
export * from "./jpeg.ts";
export * from "./tiff.ts";
export * from "./decode_image.ts";
export * from "./convert.ts";
export * from "./mask.ts";
export * from "./label_studio_rle.ts";
