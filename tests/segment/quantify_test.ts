/**
 * Region quantification against numpy/scipy (fixtures/quantify_goldens.json, written by
 * make_quantify_goldens.py): a synthetic image exactly, the real EM image em_mito/raw/00.tif
 * exactly (lossless), and a real glomerulus JPEG within the JPEG decoders' differences.
 */
import assert from "node:assert/strict";
import jpeg from "jpeg-js";
import { decode as decodeTiff } from "tiff";
import { decodePng } from "../../lib/image/png.ts";
import { labelRegions } from "../../lib/segment/regions.ts";
import {
  gradeOpenness,
  quantifyRegions,
  type RegionQuantification,
} from "../../lib/segment/quantify.ts";

type Golden = Omit<RegionQuantification, "heuristic" | "note">;
interface Goldens {
  synthetic: { width: number; height: number; grey: number[]; mask: number[]; regions: Golden[] };
  mito: { max: number; regions: Golden[] };
  glomerulus: { max: number; regions: Golden[] };
}

const GOLDENS: Goldens = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/quantify_goldens.json", import.meta.url)),
);
const SEG = new URL("../../../shared/data/seg/", import.meta.url);

function assertExact(actual: RegionQuantification[], expected: Golden[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: region count`);
  actual.forEach((q, i) => {
    const e = expected[i];
    assert.deepEqual([q.label, q.area, q.bbox, q.grade], [e.label, e.area, e.bbox, e.grade]);
    for (const key of ["fill_fraction", "mean_intensity", "openness"] as const) {
      assert.ok(Math.abs(q[key] - e[key]) < 1e-9, `${label} #${i} ${key}: ${q[key]} vs ${e[key]}`);
    }
    assert.equal(q.heuristic, true);
  });
}

Deno.test("synthetic image: every grade, equal to numpy", () => {
  const { width, height, grey, mask, regions } = GOLDENS.synthetic;
  const image = { grey: Uint8Array.from(grey), width, height };
  const segmentation = labelRegions(Uint8Array.from(mask), width, height);
  const result = quantifyRegions(image, segmentation);
  assertExact(result, regions, "synthetic");
  assert.deepEqual(result.map((q) => q.grade), [0, 1, 2, 3, 0]);
  assert.match(
    result[0].note,
    /heuristic: openness = fraction of pixels with grey >= 0.85 x image max \(250\)/,
  );
  // Plain arrays work too, and other cut-offs move the grades.
  const strict = quantifyRegions({ grey, width, height }, segmentation, {
    opennessFraction: 0.85,
    gradeThresholds: [0.9, 0.7, 0.5],
  });
  assert.deepEqual(strict.map((q) => q.grade), [1, 3, 3, 3, 2]);
});

Deno.test("real EM image (lossless TIFF + PNG mask): equal to numpy on all 26 regions", async () => {
  const [ifd] = decodeTiff(await Deno.readFile(new URL("em_mito/raw/00.tif", SEG)));
  const png = decodePng(await Deno.readFile(new URL("em_mito/mito/00.png", SEG)));
  const mask = Uint8Array.from(png.data, (v) => (v > 127 ? 1 : 0));
  const segmentation = labelRegions(mask, png.width, png.height);
  const result = quantifyRegions(
    { grey: ifd.data as Uint8Array, width: ifd.width, height: ifd.height },
    segmentation,
  );
  assertExact(result, GOLDENS.mito.regions, "mito 00");
  assert.equal(result.length, 26);
});

Deno.test("real glomerulus JPEG: within jpeg-js vs libjpeg decoding differences", async () => {
  const rgb = jpeg.decode(await Deno.readFile(new URL("glomeruli/images/T19_Image0.jpg", SEG)), {
    useTArray: true,
  });
  const maskJpeg = jpeg.decode(
    await Deno.readFile(new URL("glomeruli/masks/T19_Image0_mask.jpg", SEG)),
    { useTArray: true },
  );
  const { width, height } = rgb;
  // PIL's convert("L"): ITU-R 601 luma in 16-bit fixed point, rounded.
  const grey = new Uint8Array(width * height);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const [r, g, b] = [rgb.data[4 * i], rgb.data[4 * i + 1], rgb.data[4 * i + 2]];
    grey[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    mask[i] = maskJpeg.data[4 * i] > 127 ? 1 : 0;
  }
  const [q] = quantifyRegions({ grey, width, height }, labelRegions(mask, width, height));
  const [e] = GOLDENS.glomerulus.regions;
  assert.equal(GOLDENS.glomerulus.regions.length, 1);
  console.log(
    `glomerulus T19_Image0: area ${q.area} vs ${e.area}, openness ${q.openness.toFixed(5)} vs ` +
      `${e.openness.toFixed(5)}, mean ${q.mean_intensity.toFixed(3)} vs ${
        e.mean_intensity.toFixed(3)
      }`,
  );
  assert.ok(Math.abs(q.area - e.area) <= 20, "area within 20 px (mask JPEG decoding)");
  assert.ok(Math.abs(q.openness - e.openness) <= 0.002, "openness");
  assert.ok(Math.abs(q.mean_intensity - e.mean_intensity) <= 0.5, "mean intensity");
  assert.equal(q.grade, e.grade);
});

Deno.test("grades at the exact cut-offs, and named errors", () => {
  assert.deepEqual([0.6, 0.5999, 0.4, 0.2, 0.1999, 0].map((o) => gradeOpenness(o)), [
    0,
    1,
    1,
    2,
    3,
    3,
  ]);
  const labels = new Int32Array([1, 1, 0, 0]);
  const regions = labelRegions(new Uint8Array([1, 1, 0, 0]), 2, 2, { minArea: 1 }).regions;
  assert.throws(
    () => quantifyRegions({ grey: new Uint8Array(4), width: 2, height: 2 }, { labels, regions }),
    /Cannot quantify regions as the image's maximum grey value must be positive and finite: current value is 0/,
  );
  assert.throws(
    () =>
      quantifyRegions({ grey: [1, 2, 3, 4], width: 2, height: 2 }, { labels, regions }, {
        gradeThresholds: [0.2, 0.4, 0.6],
      }),
    /gradeThresholds must be 3 descending values in \[0, 1\]: current value is \[0.2,0.4,0.6\]/,
  );
  assert.throws(
    () => quantifyRegions({ grey: [1, 2, 3], width: 2, height: 2 }, { labels, regions }),
    /must hold 2x2 values: current value is 3 and 4/,
  );
  assert.throws(
    () =>
      quantifyRegions({ grey: [1, 2, 3, 4], width: 2, height: 2 }, { labels, regions }, {
        opennessFraction: 0,
      }),
    /opennessFraction must be in \(0, 1\]: current value is 0/,
  );
});
