/**
 * Outline overlays: a hand-drawn case pixel for pixel, and the outline band against
 * scipy.ndimage.binary_erosion (fixtures/overlay_goldens.json, make_overlay_goldens.py).
 */
import assert from "node:assert/strict";
import { outlineBand, overlayOutlines } from "../../lib/segment/overlay.ts";

const GOLDENS: {
  cases: { width: number; height: number; mask: string; bands: Record<string, string> }[];
} = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/overlay_goldens.json", import.meta.url)),
);

const bits = (text: string) => Uint8Array.from(text, (ch) => Number(ch));

/** A mask from a picture: "#" inside, "." outside. */
function picture(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join(""), (ch) => (ch === "#" ? 1 : 0));
}

/** The overlay as a picture: P or T where the colour is painted, "." where untouched. */
function render(rgb: Uint8Array, width: number, height: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = "";
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb.subarray(3 * (y * width + x), 3 * (y * width + x) + 3);
      row += r === 255 && g === 0 && b === 255 ? "P" : r === 0 && g === 255 && b === 0 ? "T" : ".";
      if (row.at(-1) === ".") assert.deepEqual([r, g, b], [10, 20, 30], `untouched ${x},${y}`);
    }
    rows.push(row);
  }
  return rows;
}

const WIDTH = 9, HEIGHT = 8;
const PRED = picture([
  ".........",
  ".#######.",
  ".#######.",
  ".#######.",
  ".#######.",
  ".#######.",
  ".#######.",
  ".........",
]);
const TRUTH = picture([
  "###......",
  "###......",
  "###......",
  ".........",
  ".........",
  ".........",
  ".........",
  ".........",
]);
const IMAGE = Uint8Array.from({ length: WIDTH * HEIGHT * 3 }, (_, i) => [10, 20, 30][i % 3]);

Deno.test("prediction then truth outlines, thickness 2 and 1, pixel for pixel", () => {
  const outlines = [
    { mask: PRED, color: [255, 0, 255] as const },
    { mask: TRUTH, color: [0, 255, 0] as const },
  ];
  const original = IMAGE.slice();
  const out = overlayOutlines(IMAGE, WIDTH, HEIGHT, outlines);
  assert.deepEqual(render(out, WIDTH, HEIGHT), [
    "TTT......",
    "TTTPPPPP.",
    "TTTPPPPP.",
    ".PP...PP.",
    ".PP...PP.",
    ".PPPPPPP.",
    ".PPPPPPP.",
    ".........",
  ]);
  const thin = overlayOutlines(IMAGE, WIDTH, HEIGHT, outlines, { thickness: 1 });
  assert.deepEqual(render(thin, WIDTH, HEIGHT), [
    "TTT......",
    "TPTPPPPP.", // the truth square's centre is no truth boundary: the prediction's shows
    "TTT....P.",
    ".P.....P.",
    ".P.....P.",
    ".P.....P.",
    ".PPPPPPP.",
    ".........",
  ]);
  assert.deepEqual(IMAGE, original, "the input is not modified");
});

Deno.test("the outline band equals mask & ~binary_erosion(mask, t, border_value=0)", () => {
  for (const c of GOLDENS.cases) {
    const mask = bits(c.mask);
    for (const [t, band] of Object.entries(c.bands)) {
      const actual = outlineBand(mask, c.width, c.height, Number(t));
      assert.deepEqual(Array.from(actual).join(""), band, `${c.width}x${c.height} t=${t}`);
    }
  }
});

Deno.test("bad inputs give named errors", () => {
  assert.throws(
    () => overlayOutlines(new Uint8Array(5), 2, 2, []),
    /Cannot overlay outlines as the RGB image must hold 2x2x3 values: current value is 5/,
  );
  assert.throws(
    () =>
      overlayOutlines(new Uint8Array(12), 2, 2, [{ mask: new Uint8Array(4), color: [0, 0, 256] }]),
    /a colour must be 3 integers in \[0, 255\]: current value is \[0,0,256\]/,
  );
  assert.throws(
    () =>
      overlayOutlines(new Uint8Array(12), 2, 2, [{ mask: new Uint8Array(3), color: [0, 0, 0] }]),
    /Cannot outline a mask as it must hold 2x2 values: current value is 3/,
  );
  assert.throws(
    () => overlayOutlines(new Uint8Array(12), 2, 2, [], { thickness: 0 }),
    /thickness must be a positive integer: current value is 0/,
  );
});
