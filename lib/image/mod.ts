/**
 * Images: the raster type, PNG (and later JPEG/TIFF) decoding and encoding.
 *
 * @module
 */
export * from "./raster.ts";
export * from "./png.ts";
