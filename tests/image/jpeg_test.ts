import assert from "node:assert/strict";
import { decodeJpeg, type RasterImage, toGrey8 } from "../../lib/image/mod.ts";

// Goldens from tests/image/make_jpeg_goldens.py (Pillow 9.4 on libjpeg-turbo 2.1).
const GOLDENS = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/jpeg_goldens.json", import.meta.url)),
);
const DATA = new URL("../../../shared/data/seg/glomeruli/", import.meta.url);

interface Patch {
  top: number;
  left: number;
  size: number;
  base64: string;
}

/** Largest |ours - PIL| over a stored patch. */
function patchMaxDiff(image: RasterImage, patch: Patch): number {
  const expected = Uint8Array.from(atob(patch.base64), (ch) => ch.charCodeAt(0));
  const c = image.channels;
  let worst = 0;
  for (let y = 0; y < patch.size; y++) {
    for (let x = 0; x < patch.size * c; x++) {
      const ours = image.data[((patch.top + y) * image.width + patch.left) * c + x];
      worst = Math.max(worst, Math.abs(ours - expected[y * patch.size * c + x]));
    }
  }
  return worst;
}

function channelMeans(image: RasterImage): number[] {
  const sums = new Array(image.channels).fill(0);
  for (let i = 0; i < image.data.length; i++) sums[i % image.channels] += image.data[i];
  return sums.map((s) => s / (image.width * image.height));
}

Deno.test("a real 2448x2048 RGB JPEG decodes within a few levels of PIL", async () => {
  const bytes = await Deno.readFile(new URL("images/T19_Image0.jpg", DATA));
  const started = performance.now();
  const image = decodeJpeg(bytes, { source: "T19_Image0.jpg" });
  const elapsedMs = performance.now() - started;
  const golden = GOLDENS.image;
  assert.equal(image.width, golden.width);
  assert.equal(image.height, golden.height);
  assert.equal(image.channels, 3);
  assert.equal(image.depth, 8);
  // Measured: means differ from PIL's by +0.147, +0.010, +0.147 (jpeg-js's IDCT rounds
  // slightly up: Y +0.07, Cb/Cr +0.05); over the whole image |diff| is 0.14 on average
  // and at most 3 (93.6 % of values identical). jpeg-js's own colour conversion was off
  // by up to 29 levels (mean 1.03), hence libjpeg's conversion in decodeJpeg.
  channelMeans(image).forEach((mean, c) => {
    assert.ok(
      Math.abs(mean - golden.means[c]) < 0.25,
      `channel ${c}: ${mean} vs ${golden.means[c]}`,
    );
  });
  const diffs = golden.patches.map((patch: Patch) => patchMaxDiff(image, patch));
  // Measured max |diff| on the centre patch and the two corner patches.
  diffs.forEach((diff: number) => assert.ok(diff <= 3, `patch max |diff| ${diffs}`));
  // toGrey8 on our pixels against PIL's convert("L") on PIL's pixels (measured +0.07).
  const grey = toGrey8(image);
  const greyMean = grey.reduce((a, b) => a + b, 0) / grey.length;
  assert.ok(Math.abs(greyMean - golden.greyMean) < 0.2, `grey mean ${greyMean}`);
  // Measured about 0.4 s here on a shared 2-core machine (jpeg-js itself about 0.3 s).
  assert.ok(elapsedMs < 2500, `decoding took ${elapsedMs.toFixed(0)} ms`);
});

Deno.test("a real greyscale mask JPEG decodes to one channel as PIL's", async () => {
  const bytes = await Deno.readFile(new URL("masks/T19_Image0_mask.jpg", DATA));
  const mask = decodeJpeg(bytes, { source: "T19_Image0_mask.jpg" });
  const golden = GOLDENS.mask;
  assert.deepEqual([mask.width, mask.height, mask.channels, mask.depth], [2448, 2048, 1, 8]);
  // Measured: mean |diff| 9e-5 and max |diff| 1 over the whole mask.
  assert.ok(Math.abs(channelMeans(mask)[0] - golden.means[0]) < 0.01);
  for (const patch of golden.patches) assert.ok(patchMaxDiff(mask, patch) <= 1);
});

Deno.test("JPEGs jpeg-js cannot decode faithfully fail with a named SyntaxError", async () => {
  const bytes = await Deno.readFile(new URL("masks/T19_Image0_mask.jpg", DATA));
  const named = (pattern: RegExp) => (e: Error) =>
    e instanceof SyntaxError && pattern.test(e.message);
  assert.throws(
    () => decodeJpeg(bytes.subarray(0, 20000), { source: "cut.jpg" }),
    named(/^Cannot decode cut\.jpg as JPEG as its scan data .*20000 bytes not ending with EOI/),
  );
  assert.throws(
    () => decodeJpeg(bytes.subarray(0, 100), { source: "head.jpg" }),
    named(/^Cannot decode head\.jpg as JPEG as it ends before its first scan/),
  );
  // Patch the frame header: 4 components (CMYK) and then 12-bit precision.
  const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
  const cmyk = bytes.slice();
  cmyk[sof + 9] = 4;
  assert.throws(
    () => decodeJpeg(cmyk, { source: "cmyk.jpg" }),
    named(/as only 1 \(grey\) or 3 \(colour\) components are supported: current value is 4$/),
  );
  const twelveBit = bytes.slice();
  twelveBit[sof + 4] = 12;
  assert.throws(
    () => decodeJpeg(twelveBit),
    named(/^Cannot decode JPEG data as JPEG as samples must have 8 bits/),
  );
  const lossless = bytes.slice();
  lossless[sof + 1] = 0xc3;
  assert.throws(() => decodeJpeg(lossless), named(/current value is SOF3 \(lossless\)$/));
});

Deno.test("odd-sized 4:2:0 and 4:2:2 JPEGs: fancy upsampling matches PIL up to its edges", async () => {
  for (const name of ["small_420.jpg", "small_422.jpg"]) {
    const bytes = await Deno.readFile(new URL(`./fixtures/${name}`, import.meta.url));
    const image = decodeJpeg(bytes, { source: name });
    assert.deepEqual([image.width, image.height, image.channels], [37, 23, 3]);
    const expected = Uint8Array.from(atob(GOLDENS.small[name]), (ch) => ch.charCodeAt(0));
    let worst = 0, total = 0;
    for (let i = 0; i < expected.length; i++) {
      const diff = Math.abs(image.data[i] - expected[i]);
      worst = Math.max(worst, diff);
      total += diff;
    }
    // Measured: max |diff| 3 (1 of 2553 values for 4:2:0, 5 for 4:2:2), mean 0.145 and
    // 0.166; the two edge pixels all round stay within 2 and 3, as the interior does.
    assert.ok(worst <= 3, `${name}: max |diff| ${worst}`);
    assert.ok(total / expected.length < 0.25, `${name}: mean |diff| ${total / expected.length}`);
  }
});

Deno.test("an Adobe APP14 marker selects the colour transform as libjpeg does", async () => {
  const bytes = await Deno.readFile(new URL("./fixtures/small_420.jpg", import.meta.url));
  const adobe = (
    transform: number,
  ) => [0xff, 0xee, 0, 14, ...new TextEncoder().encode("Adobe"), 0, 100, 0, 0, 0, 0, transform];
  const withMarker = (transform: number, keepJfif: boolean) => {
    const jfifEnd = 4 + ((bytes[4] << 8) | bytes[5]); // SOI, then the APP0 JFIF segment
    const rest = keepJfif ? bytes.subarray(2) : bytes.subarray(jfifEnd);
    return new Uint8Array([0xff, 0xd8, ...adobe(transform), ...rest]);
  };
  const plain = decodeJpeg(bytes);
  // Transform 1 (YCbCr): the same pixels; jpeg-js would otherwise convert by itself.
  assert.deepEqual(decodeJpeg(withMarker(1, true)), plain);
  // Transform 0 without JFIF: the components are RGB already, so no conversion happens.
  const raw = decodeJpeg(withMarker(0, false));
  assert.notDeepEqual(raw.data, plain.data);
  const luma = toGrey8(plain);
  // Channel 0 holds Y, close to the luma of the converted pixels.
  for (let i = 0; i < luma.length; i += 97) assert.ok(Math.abs(raw.data[3 * i] - luma[i]) <= 3);
});
