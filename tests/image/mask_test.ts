import assert from "node:assert/strict";
import { binarizeMask, decodeJpeg, type RasterImage } from "../../lib/image/mod.ts";

const GOLDENS = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/jpeg_goldens.json", import.meta.url)),
);
const MASK = new URL(
  "../../../shared/data/seg/glomeruli/masks/T19_Image0_mask.jpg",
  import.meta.url,
);

function raster(channels: 1 | 2 | 3 | 4, depth: 8 | 16, values: number[]): RasterImage {
  const data = depth === 8 ? Uint8Array.from(values) : Uint16Array.from(values);
  return { width: values.length / channels, height: 1, channels, depth, data };
}

Deno.test("binarizeMask on the real mask JPEG matches numpy's (PIL L > 127) count", async () => {
  const mask = decodeJpeg(await Deno.readFile(MASK), { source: "T19_Image0_mask.jpg" });
  const binary = binarizeMask(mask);
  assert.equal(binary.length, 2448 * 2048);
  assert.ok(binary.every((v) => v === 0 || v === 1));
  const count = binary.reduce((a, b) => a + b, 0);
  // numpy: (np.asarray(Image.open(mask).convert("L")) > 127).sum() = 138411 (6.76e-2 of the
  // pixels). Measured here: 138417, 6 more: pixels at 127/128 where jpeg-js's IDCT rounds
  // one level higher than libjpeg's (mask max |diff| 1).
  assert.equal(GOLDENS.mask.foregroundAbove127, 138411);
  assert.ok(Math.abs(count - 138411) <= 10, `foreground ${count}`);
});

Deno.test("binarizeMask: > threshold on 8 bits, > threshold * 257 on 16 bits", () => {
  assert.deepEqual(Array.from(binarizeMask(raster(1, 8, [0, 127, 128, 255]))), [0, 0, 1, 1]);
  assert.deepEqual(
    Array.from(binarizeMask(raster(1, 8, [0, 1, 200, 201]), { threshold: 200 })),
    [0, 0, 0, 1],
  );
  assert.deepEqual(Array.from(binarizeMask(raster(1, 8, [0, 1]), { threshold: 0 })), [0, 1]);
  // 127 * 257 = 32639.
  assert.deepEqual(
    Array.from(binarizeMask(raster(1, 16, [0, 32639, 32640, 65535]))),
    [0, 0, 1, 1],
  );
  // Grey + alpha: alpha ignored. RGB by PIL's luma: (255, 0, 0) -> 76, (0, 255, 0) -> 150.
  assert.deepEqual(Array.from(binarizeMask(raster(2, 8, [200, 0, 100, 255]))), [1, 0]);
  assert.deepEqual(Array.from(binarizeMask(raster(3, 8, [255, 0, 0, 0, 255, 0]))), [0, 1]);
  assert.deepEqual(
    Array.from(binarizeMask(raster(4, 16, [65535, 0, 0, 65535, 0, 65535, 0, 0]))),
    [0, 1],
  );
});

Deno.test("binarizeMask rejects a threshold outside 0..255", () => {
  for (const threshold of [-1, 256, Number.NaN]) {
    assert.throws(
      () => binarizeMask(raster(1, 8, [0]), { threshold }),
      new RegExp(
        `^RangeError: Cannot binarize a mask as the threshold must be within 0..255: current value is ${threshold}$`,
      ),
    );
  }
});
