import assert from "node:assert/strict";
import { decodeImage, decodeImageStack, decodePng } from "../../lib/image/mod.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const DATA = new URL("../../../shared/data/seg/", import.meta.url);
const read = (url: URL) => Deno.readFile(url);

Deno.test("decodeImage picks the decoder by magic bytes, not by name", async () => {
  const png = await read(new URL("em_mito/mito/00.png", DATA));
  const jpeg = await read(new URL("glomeruli/masks/T19_Image0_mask.jpg", DATA));
  const tiff = await read(new URL("em_mito/raw/00.tif", DATA));
  const fromPng = decodeImage(png, { source: "misnamed.jpg" });
  assert.deepEqual([fromPng.width, fromPng.channels], [1024, 1]);
  assert.deepEqual(fromPng, decodePng(png));
  const fromJpeg = decodeImage(jpeg);
  assert.deepEqual([fromJpeg.width, fromJpeg.height, fromJpeg.channels], [2448, 2048, 1]);
  const fromTiff = decodeImage(tiff);
  // tifffile: raw/00.tif pixel (512, 512) is 117 (see tiff_fixtures.json).
  assert.deepEqual([fromTiff.width, fromTiff.depth, fromTiff.data[512 * 1024 + 512]], [
    1024,
    8,
    117,
  ]);
});

Deno.test("decodeImageStack: every TIFF page, or one image for PNG/JPEG", async () => {
  const stack = await read(new URL("tiff/rgb_u16_be_lzw.tif", FIXTURES));
  const pages = decodeImageStack(stack, { source: "rgb.tif" });
  assert.equal(pages.length, 2);
  assert.deepEqual(pages[0], decodeImage(stack));
  const png = await read(new URL("grey16.png", FIXTURES));
  assert.equal(decodeImageStack(png).length, 1);
});

Deno.test("a 16-bit greyscale PNG written by Pillow decodes to its exact values", async () => {
  const image = decodeImage(await read(new URL("grey16.png", FIXTURES)), { source: "grey16.png" });
  assert.deepEqual([image.width, image.height, image.channels, image.depth], [17, 13, 1, 16]);
  assert.ok(image.data instanceof Uint16Array);
  // make_png16.py's formula; values above 255 prove both bytes were read, big-endian.
  const expected = [];
  for (let y = 0; y < 13; y++) {
    for (let x = 0; x < 17; x++) expected.push((y * 3001 + x * 1031 + x * y * 17) % 65536);
  }
  assert.deepEqual(Array.from(image.data), expected);
});

Deno.test("unknown, empty and truncated bytes give SyntaxErrors naming the source", async () => {
  const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00");
  assert.throws(
    () => decodeImage(gif, { source: "x.gif" }),
    (e: Error) =>
      e instanceof SyntaxError &&
      e.message ===
        "Cannot decode x.gif as an image as it must be PNG, JPEG or TIFF: " +
          "current first bytes are 47 49 46 38 39 61 01 00",
  );
  assert.throws(
    () => decodeImageStack(new Uint8Array(0)),
    /^SyntaxError: Cannot decode image data as an image .*current first bytes are none \(empty\)$/,
  );
  const jpeg = await read(new URL("glomeruli/masks/T19_Image0_mask.jpg", DATA));
  assert.throws(
    () => decodeImage(jpeg.subarray(0, 30000), { source: "cut.jpg" }),
    /^SyntaxError: Cannot decode cut\.jpg as JPEG as its scan data/,
  );
  const tiff = await read(new URL("tiff/grey_u8_le_none.tif", FIXTURES));
  // Cut inside page 0's strips, before page 1's directory at byte 494.
  assert.throws(
    () => decodeImage(tiff.subarray(0, 300), { source: "cut.tif" }),
    /^SyntaxError: Cannot decode cut\.tif as TIFF as its header and page directories must be readable \(tiff: .*\): current value is 300 bytes$/,
  );
  const png = await read(new URL("grey16.png", FIXTURES));
  assert.throws(
    () => decodeImage(png.subarray(0, 60), { source: "cut.png" }),
    /^SyntaxError: Cannot decode cut\.png as PNG: /,
  );
});
