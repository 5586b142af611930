import assert from "node:assert/strict";
import { type RasterImage, toGrey8, toRgb8 } from "../../lib/image/mod.ts";

// PIL's convert("L") on 64 RGB triples, from tests/image/make_jpeg_goldens.py (which also
// checks the formula against Pillow on all 2^24 triples).
const { luma } = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/jpeg_goldens.json", import.meta.url)),
);

function raster(channels: 1 | 2 | 3 | 4, depth: 8 | 16, values: number[]): RasterImage {
  const data = depth === 8 ? Uint8Array.from(values) : Uint16Array.from(values);
  return { width: values.length / channels, height: 1, channels, depth, data };
}

Deno.test("toGrey8 on RGB equals PIL's convert('L') exactly", () => {
  const image = raster(3, 8, luma.rgb.flat());
  assert.deepEqual(Array.from(toGrey8(image)), luma.grey);
  // RGBA: alpha is dropped, not composited (as PIL).
  const rgba = raster(4, 8, luma.rgb.flatMap((t: number[]) => [...t, 0]));
  assert.deepEqual(Array.from(toGrey8(rgba)), luma.grey);
});

Deno.test("toGrey8: grey as is, 16-bit keeps the high byte, grey+alpha drops alpha", () => {
  assert.deepEqual(Array.from(toGrey8(raster(1, 8, [0, 7, 255]))), [0, 7, 255]);
  assert.deepEqual(
    Array.from(toGrey8(raster(1, 16, [0, 255, 256, 0x1234, 65535]))),
    [0, 0, 1, 0x12, 255],
  );
  assert.deepEqual(Array.from(toGrey8(raster(2, 8, [10, 255, 20, 0]))), [10, 20]);
  // 16-bit RGB: luma on 16 bits, then >> 8. (65535 * 19595 + 32768) >> 16 = 19595 -> 76;
  // (1000, 2000, 3000): (19595000 + 76940000 + 22413000 + 32768) / 65536 = 1815.5 -> 1815 -> 7.
  assert.deepEqual(
    Array.from(toGrey8(raster(3, 16, [65535, 0, 0, 1000, 2000, 3000, 65535, 65535, 65535]))),
    [76, 7, 255],
  );
});

Deno.test("toRgb8 replicates grey, drops alpha and keeps the high byte of 16 bits", () => {
  assert.deepEqual(Array.from(toRgb8(raster(1, 8, [3, 200]))), [3, 3, 3, 200, 200, 200]);
  assert.deepEqual(Array.from(toRgb8(raster(2, 16, [0x1234, 9, 0xff00, 9]))), [
    0x12,
    0x12,
    0x12,
    0xff,
    0xff,
    0xff,
  ]);
  assert.deepEqual(Array.from(toRgb8(raster(4, 8, [1, 2, 3, 4, 5, 6, 7, 8]))), [1, 2, 3, 5, 6, 7]);
  const rgb = raster(3, 8, [9, 8, 7]);
  const copy = toRgb8(rgb);
  assert.deepEqual(Array.from(copy), [9, 8, 7]);
  assert.notEqual(copy.buffer, rgb.data.buffer, "a copy, never the input's buffer");
  assert.deepEqual(Array.from(toRgb8(raster(3, 16, [256, 512, 65535]))), [1, 2, 255]);
});

Deno.test("conversions reject an inconsistent raster and run fast on a full field", () => {
  const bad = {
    width: 2,
    height: 2,
    channels: 3 as const,
    depth: 8 as const,
    data: new Uint8Array(5),
  };
  assert.throws(
    () => toGrey8(bad),
    /^RangeError: Cannot use the image to convert to grey as its data/,
  );
  assert.throws(
    () => toRgb8({ ...bad, depth: 16 }),
    /^TypeError: Cannot use the image to convert to RGB/,
  );
  const big: RasterImage = {
    width: 2448,
    height: 2048,
    channels: 3,
    depth: 8,
    data: new Uint8Array(2448 * 2048 * 3).fill(100),
  };
  const started = performance.now();
  const grey = toGrey8(big);
  const elapsed = performance.now() - started;
  assert.equal(grey[grey.length - 1], 100);
  assert.ok(elapsed < 500, `toGrey8 on 2448x2048 RGB took ${elapsed.toFixed(0)} ms`); // measured ~20 ms
});
