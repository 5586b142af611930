/**
 * Connected regions against scipy.ndimage (fixtures/regions_goldens.json, written by
 * make_regions_goldens.py), on small masks and the real mask em_mito/mito/00.png.
 */
import assert from "node:assert/strict";
import { decodePng } from "../../lib/image/png.ts";
import {
  describeRegions,
  extractRegions,
  labelComponents,
  labelRegions,
  type Region,
  removeSmallRegions,
} from "../../lib/segment/regions.ts";
import { Rng } from "../../lib/runtime/rng.ts";

type GoldenRegion = Omit<Region, "crop">;
interface Labelled {
  count: number;
  labels: number[];
  regions: GoldenRegion[];
}
interface GoldenCase {
  name: string;
  width: number;
  height: number;
  mask: string[];
  c8: Labelled;
  c4: Labelled;
}
interface Goldens {
  cases: GoldenCase[];
  real: { width: number; height: number; count: number; regions: GoldenRegion[] };
}

const GOLDENS: Goldens = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/regions_goldens.json", import.meta.url)),
);
const REAL = new URL("../../../shared/data/seg/em_mito/mito/00.png", import.meta.url);

function maskOf(c: GoldenCase): Uint8Array {
  return Uint8Array.from(c.mask.join(""), (ch) => Number(ch));
}

function assertRegions(actual: Region[], expected: GoldenRegion[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: region count`);
  actual.forEach((r, i) => {
    const e = expected[i];
    assert.deepEqual([r.label, r.area, r.bbox], [e.label, e.area, e.bbox], `${label} #${i}`);
    assert.ok(Math.abs(r.centroid.x - e.centroid.x) < 1e-9, `${label} #${i} centroid x`);
    assert.ok(Math.abs(r.centroid.y - e.centroid.y) < 1e-9, `${label} #${i} centroid y`);
  });
}

Deno.test("labels equal scipy.ndimage.label pixel for pixel, 8- and 4-connected", () => {
  for (const c of GOLDENS.cases) {
    const mask = maskOf(c);
    const eight = labelComponents(mask, c.width, c.height);
    assert.equal(eight.count, c.c8.count, `${c.name} count (8)`);
    assert.deepEqual(Array.from(eight.labels), c.c8.labels, `${c.name} labels (8)`);
    const four = labelComponents(mask, c.width, c.height, { connectivity: 4 });
    assert.equal(four.count, c.c4.count, `${c.name} count (4)`);
    assert.deepEqual(Array.from(four.labels), c.c4.labels, `${c.name} labels (4)`);
  }
  const diagonal = GOLDENS.cases.find((c) => c.name === "diagonal only")!;
  assert.deepEqual([diagonal.c8.count, diagonal.c4.count], [2, 15]);
});

Deno.test("regions equal find_objects and center_of_mass; padding clips to the image", () => {
  for (const c of GOLDENS.cases) {
    const mask = maskOf(c);
    for (const connectivity of [8, 4] as const) {
      const golden = connectivity === 8 ? c.c8 : c.c4;
      const all = extractRegions(mask, c.width, c.height, { minArea: 0, connectivity });
      assertRegions(all, golden.regions, `${c.name} (${connectivity})`);
      // minArea keeps scipy's labels (gaps where regions were dropped).
      const big = extractRegions(mask, c.width, c.height, { minArea: 3, connectivity, padding: 2 });
      assertRegions(big, golden.regions.filter((r) => r.area >= 3), `${c.name} min 3`);
      for (const r of big) {
        const x0 = Math.max(0, r.bbox.x - 2), y0 = Math.max(0, r.bbox.y - 2);
        const x1 = Math.min(c.width, r.bbox.x + r.bbox.width + 2);
        const y1 = Math.min(c.height, r.bbox.y + r.bbox.height + 2);
        assert.deepEqual(r.crop, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      }
    }
  }
});

Deno.test("real mito mask: the same 26 regions as scipy (areas, boxes, centroids)", async () => {
  const png = decodePng(await Deno.readFile(REAL));
  assert.equal(png.channels, 1);
  const mask = Uint8Array.from(png.data, (v) => (v > 127 ? 1 : 0));
  const { width, height, count } = GOLDENS.real;
  const result = labelRegions(mask, width, height, { minArea: 0 });
  assert.equal(result.count, count);
  assert.equal(count, 26);
  assertRegions(result.regions, GOLDENS.real.regions, "mito 00");
  // Default minArea 64 keeps all of them (the smallest has 367 pixels).
  assert.equal(extractRegions(mask, width, height).length, 26);
});

Deno.test("removeSmallRegions keeps exactly the regions of at least minArea pixels", () => {
  const c = GOLDENS.cases.find((c) => c.name === "random 13x40 p=0.3")!;
  const mask = maskOf(c);
  const kept = removeSmallRegions(mask, c.width, c.height, 4);
  const big = new Set(c.c8.regions.filter((r) => r.area >= 4).map((r) => r.label));
  assert.ok(big.size > 0 && big.size < c.c8.count);
  assert.deepEqual(Array.from(kept), c.c8.labels.map((l) => (big.has(l) ? 1 : 0)));
  const four = removeSmallRegions(mask, c.width, c.height, 4, { connectivity: 4 });
  const big4 = new Set(c.c4.regions.filter((r) => r.area >= 4).map((r) => r.label));
  assert.deepEqual(Array.from(four), c.c4.labels.map((l) => (big4.has(l) ? 1 : 0)));
});

Deno.test("a 2448x2048 random mask (the worst case for union-find) labels in < 1 s", () => {
  const width = 2448, height = 2048;
  const rng = new Rng(11);
  const mask = Uint8Array.from({ length: width * height }, () => (rng.float() < 0.5 ? 1 : 0));
  const start = performance.now();
  const { labels, count } = labelComponents(mask, width, height);
  const ms = performance.now() - start;
  const regions = describeRegions({ labels, count }, width, height, { minArea: 1 });
  console.log(`labelComponents 2448x2048 random: ${ms.toFixed(0)} ms, ${count} components`);
  assert.ok(ms < 1000, `took ${ms} ms`);
  // Every foreground pixel is in exactly one region and labels follow raster order.
  let foreground = 0;
  for (const v of mask) foreground += v;
  assert.equal(regions.reduce((s, r) => s + r.area, 0), foreground);
  for (let i = 1; i < regions.length; i++) {
    const [a, b] = [regions[i - 1], regions[i]];
    assert.ok(a.bbox.y <= b.bbox.y, "raster order of first pixel");
  }
});

Deno.test("bad inputs give named errors", () => {
  assert.throws(
    () => labelComponents(new Uint8Array(5), 2, 2),
    /Cannot label components as the mask must hold 2x2 values: current value is 5/,
  );
  assert.throws(
    () => labelComponents(new Uint8Array(4), 2, 2, { connectivity: 6 as 8 }),
    /connectivity must be 4 or 8: current value is 6/,
  );
  assert.throws(
    () => extractRegions(new Uint8Array(4), 2, 2, { minArea: -1 }),
    /Cannot describe regions as minArea must be a non-negative integer: current value is -1/,
  );
  assert.throws(() => labelComponents(new Uint8Array(0), 0, 0), /current value is 0x0/);
});
