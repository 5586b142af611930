import assert from "node:assert/strict";
import { decodePng, encodePng, type RasterImage } from "../../lib/image/mod.ts";

const DATA = new URL("../../../shared/data/seg/em_mito/mito/00.png", import.meta.url);

function pattern(channels: 1 | 2 | 3 | 4, depth: 8 | 16): RasterImage {
  const width = 13, height = 7;
  const n = width * height * channels;
  const data = depth === 8 ? new Uint8Array(n) : new Uint16Array(n);
  for (let i = 0; i < n; i++) data[i] = (i * 37 + 11) % (depth === 8 ? 256 : 65536);
  return { width, height, channels, depth, data };
}

Deno.test("PNG round trip keeps every pixel: grey, grey + alpha, RGB, RGBA, 8 and 16 bit", () => {
  for (const channels of [1, 2, 3, 4] as const) {
    for (const depth of [8, 16] as const) {
      const image = pattern(channels, depth);
      const back = decodePng(encodePng(image));
      assert.deepEqual(back, image, `channels ${channels} depth ${depth}`);
    }
  }
});

Deno.test("a real 1024x1024 PNG re-encoded (Up filter, level 1) decodes to the same pixels", async () => {
  const image = decodePng(await Deno.readFile(DATA));
  const bytes = encodePng(image);
  assert.deepEqual(decodePng(bytes), image);
  // IHDR says 8-bit grey, and every row carries filter type 2 (Up): the first row of the
  // inflated IDAT starts with byte 2.
  assert.deepEqual([bytes[24], bytes[25]], [8, 0]);
});

Deno.test("PNG encoding is deterministic (byte-identical twice)", () => {
  const image = pattern(3, 8);
  assert.deepEqual(encodePng(image), encodePng(image));
});

Deno.test("a real 1024x1024 mask PNG decodes like skimage does", async () => {
  const bytes = await Deno.readFile(DATA);
  const mask = decodePng(bytes, { source: "mito/00.png" });
  assert.equal(mask.width, 1024);
  assert.equal(mask.height, 1024);
  assert.equal(mask.depth, 8);
  // Golden from skimage.io.imread on the same file (Debian python3-skimage): the mask has
  // 36 distinct grey levels (edge anti-aliasing), 7.390022277832031 % of pixels above 127.
  assert.equal(new Set(mask.data).size, 36);
  let above = 0;
  for (const v of mask.data) above += v > 127 ? 1 : 0;
  assert.equal(above / mask.data.length, 0.07390022277832031);
});

Deno.test("bad PNG bytes and a bad raster give named errors", () => {
  assert.throws(
    () => decodePng(new Uint8Array([1, 2, 3]), { source: "x.png" }),
    (e: Error) => e instanceof SyntaxError && e.message.startsWith("Cannot decode x.png as PNG: "),
  );
  assert.throws(
    () => encodePng({ width: 2, height: 2, channels: 1, depth: 8, data: new Uint8Array(3) }),
    /Cannot use the image to encode as PNG as its data must hold 2x2x1 values: current value is 3/,
  );
});
