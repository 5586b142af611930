import assert from "node:assert/strict";
import { decodeTiff } from "../../lib/image/mod.ts";

// Fixtures and expectations from tests/image/make_tiff_fixtures.py (tifffile 2023.2.3,
// checked there against tifffile and Pillow's libtiff).
const FIXTURES = new URL("./fixtures/tiff/", import.meta.url);
const EXPECTED = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/tiff_fixtures.json", import.meta.url)),
);
const EM_RAW = new URL("../../../shared/data/seg/em_mito/raw/00.tif", import.meta.url);

const read = (file: string) => Deno.readFile(new URL(file, FIXTURES));

/** The make script's `pattern`: page p, row y, column x, channel c. */
function pattern(p: number, y: number, x: number, c: number, depth: 8 | 16): number {
  return depth === 8
    ? (p * 71 + y * 31 + x * 13 + c * 89 + ((x * y) % 11)) % 256
    : (p * 7919 + y * 3001 + x * 1031 + c * 20011 + x * y * 17) % 65536;
}

function expectedPage(page: number, c: {
  width: number;
  height: number;
  channels: number;
  depth: 8 | 16;
  inverted: boolean;
}): number[] {
  const values = [];
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      for (let ch = 0; ch < c.channels; ch++) {
        const v = pattern(page, y, x, ch, c.depth);
        values.push(c.inverted ? 255 - v : v);
      }
    }
  }
  return values;
}

Deno.test("TIFF stacks: 8/16 bit, both byte orders, none/LZW/Deflate, grey/RGB(A), exact pixels", async () => {
  assert.equal(EXPECTED.cases.length, 14);
  for (const c of EXPECTED.cases) {
    const pages = decodeTiff(await read(c.file), { source: c.file });
    assert.equal(pages.length, c.pages, c.file);
    pages.forEach((image, p) => {
      assert.deepEqual(
        [image.width, image.height, image.channels, image.depth],
        [c.width, c.height, c.channels, c.depth],
        `${c.file} page ${p}`,
      );
      assert.ok(image.data instanceof (c.depth === 16 ? Uint16Array : Uint8Array));
      assert.deepEqual(Array.from(image.data), expectedPage(p, c), `${c.file} page ${p}`);
    });
  }
});

Deno.test("TIFF pages: a chosen subset in the asked order, palette and tiled pages", async () => {
  const stack = await read("grey_u16_be_deflate.tif");
  const [third, first] = decodeTiff(stack, { pages: [2, 0] });
  const c = { width: 17, height: 13, channels: 1, depth: 16 as const, inverted: false };
  assert.deepEqual(Array.from(third.data), expectedPage(2, c));
  assert.deepEqual(Array.from(first.data), expectedPage(0, c));
  assert.throws(
    () => decodeTiff(stack, { source: "s.tif", pages: [3] }),
    /^RangeError: Cannot decode page 3 of s\.tif as it holds pages 0 to 2: current value is 3$/,
  );

  const [palette] = decodeTiff(await read(EXPECTED.palette.file));
  const colormap: number[][] = EXPECTED.palette.colormap;
  const rgb = [];
  for (let i = 0; i < 17 * 13; i++) {
    const index = pattern(0, Math.floor(i / 17), i % 17, 0, 8);
    for (let ch = 0; ch < 3; ch++) rgb.push(colormap[ch][index] >> 8);
  }
  assert.equal(palette.channels, 3);
  assert.deepEqual(Array.from(palette.data), rgb);

  const [tiled] = decodeTiff(await read(EXPECTED.tiled));
  assert.deepEqual(Array.from(tiled.data), expectedPage(0, { ...c, depth: 8 }));

  // 1-bit pages come back as 0/255 grey, WhiteIsZero inverted as Pillow does.
  for (const [file, values] of Object.entries(EXPECTED.bilevel)) {
    const [bilevel] = decodeTiff(await read(file));
    assert.deepEqual([bilevel.channels, bilevel.depth], [1, 8]);
    assert.deepEqual(Array.from(bilevel.data), values, file);
  }
});

Deno.test("TIFF pages that cannot be decoded fail with a SyntaxError naming file and page", async () => {
  for (const { file, message } of EXPECTED.errors) {
    const bytes = await read(file);
    assert.throws(
      () => decodeTiff(bytes, { source: file }),
      (e: Error) =>
        e instanceof SyntaxError && e.message === `Cannot decode ${file} as TIFF ${message}`,
      file,
    );
  }
  // Truncated inside the last strip of page 2 (its IFD, at byte 974, survives).
  const stack = await read("grey_u8_le_none.tif");
  assert.throws(
    () => decodeTiff(stack.subarray(0, stack.length - 20), { source: "cut.tif" }),
    (e: Error) =>
      e instanceof SyntaxError &&
      /^Cannot decode cut\.tif as TIFF as page 2 of 3 \(0-based\) must have complete, valid pixel data \(tiff: .*\): current value is 1433 bytes, truncated or corrupt$/
        .test(
          e.message,
        ),
  );
  assert.throws(
    () => decodeTiff(new Uint8Array([0x49, 0x49, 0x2a, 0, 99, 0, 0, 0]), { source: "tiny.tif" }),
    (e: Error) =>
      e instanceof SyntaxError && e.message.startsWith("Cannot decode tiny.tif as TIFF"),
  );
  assert.throws(
    () => decodeTiff(new Uint8Array([0x49, 0x49, 0x2b, 0, 8, 0, 0, 0]), { source: "big.tif" }),
    /^SyntaxError: Cannot decode big\.tif as TIFF as BigTIFF is not supported/,
  );
});

Deno.test("the real em_mito raw/00.tif (big-endian, ImageJ, 8-bit) matches tifffile", async () => {
  const golden = EXPECTED.emRaw00;
  const pages = decodeTiff(await Deno.readFile(EM_RAW), { source: "raw/00.tif" });
  assert.equal(pages.length, golden.pages);
  const [image] = pages;
  assert.deepEqual(
    [image.width, image.height, image.channels, image.depth],
    [golden.width, golden.height, 1, 8],
  );
  let sum = 0;
  for (const v of image.data) sum += v;
  assert.equal(sum, golden.sum);
  for (const [y, x, v] of golden.pixels) {
    assert.equal(image.data[y * image.width + x], v, `(${y}, ${x})`);
  }
});
