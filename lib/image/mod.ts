/**
 * Images: the raster type, PNG encoding and decoding, JPEG and TIFF decoding (sniffed by
 * decodeImage), conversions to grey/RGB, mask binarisation, Label Studio brush masks, and
 * patches: normalisation and augmented crops of an image with its mask.
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
export * from "./normalization.ts";
export * from "./crop_sampler.ts";
