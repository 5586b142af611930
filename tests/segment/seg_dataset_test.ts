import assert from "node:assert/strict";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { encodePng } from "../../lib/image/png.ts";
import type { RasterImage } from "../../lib/image/raster.ts";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import type { ProgressEvent } from "../../lib/train/progress.ts";
import {
  listSegmentationPairs,
  loadSegmentationPairs,
  type SegSample,
} from "../../lib/segment/seg_dataset.ts";

const SEG_DATA = new URL("../../../shared/data/seg/", import.meta.url).pathname;
const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
// Goldens from tests/segment/make_dataset_goldens.py (PIL/libjpeg, tifffile, numpy).
const GOLDENS = JSON.parse(await Deno.readTextFile(`${FIXTURES}dataset_goldens.json`));

function png(width: number, height: number, channels: 1 | 3, data: number[]): Uint8Array {
  const image: RasterImage = { width, height, channels, depth: 8, data: Uint8Array.from(data) };
  return encodePng(image);
}

function foreground(sample: SegSample): number {
  return sample.mask.reduce((a, b) => a + b, 0) / sample.mask.length;
}

Deno.test("glomeruli layout: <stem>.<ext> pairs with <stem>_mask.<ext2>, subject before '_'", async () => {
  const storage = new MemoryStorage();
  const rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  await storage.writeBytes("im/T19_Image0.png", png(3, 2, 3, rgb));
  await storage.writeBytes("im/T20_Image1.png", png(3, 2, 3, rgb.map((v) => 255 - v)));
  await storage.writeText("im/notes.txt", "ignored");
  await storage.writeBytes("ma/T19_Image0_mask.png", png(3, 2, 1, [0, 127, 128, 255, 200, 3]));
  await storage.writeBytes("ma/T20_Image1_mask.png", png(3, 2, 1, [255, 0, 0, 0, 0, 0]));
  const events: ProgressEvent[] = [];
  const samples = await loadSegmentationPairs({ storage, dir: "im" }, { storage, dir: "ma" }, {
    onProgress: (event) => events.push(event),
  });
  assert.deepEqual(samples.map((s) => [s.id, s.subject, s.width, s.height, s.channels]), [
    ["T19_Image0", "T19", 3, 2, 3],
    ["T20_Image1", "T20", 3, 2, 3],
  ]);
  assert.deepEqual(samples[0].image, Uint8Array.from(rgb));
  assert.deepEqual(samples[0].mask, Uint8Array.from([0, 0, 1, 1, 1, 0]));
  assert.deepEqual(events.map((e) => [e.job, e.done, e.total, e.message]), [
    ["seg-dataset", 1, 2, "T19_Image0"],
    ["seg-dataset", 2, 2, "T20_Image1"],
  ]);
  const grey = await loadSegmentationPairs({ storage, dir: "im" }, { storage, dir: "ma" }, {
    channels: 1,
    threshold: 199,
    include: (ref) => ref.subject === "T19",
  });
  assert.equal(grey.length, 1);
  assert.equal(grey[0].image.length, 6);
  assert.deepEqual(grey[0].mask, Uint8Array.from([0, 0, 0, 1, 1, 0]));
});

Deno.test("slice layout: the same stem, another extension; images and masks in one folder", async () => {
  const storage = new MemoryStorage();
  for (const stem of ["00", "01"]) {
    await storage.writeBytes(`raw/${stem}.png`, png(2, 2, 1, [10, 20, 30, 40]));
    await storage.writeBytes(`mito/${stem}.png`, png(2, 2, 1, [0, 0, 255, 255]));
    await storage.writeBytes(`both/${stem}.png`, png(2, 2, 1, [10, 20, 30, 40]));
    await storage.writeBytes(`both/${stem}_mask.png`, png(2, 2, 1, [255, 0, 0, 0]));
  }
  const slices = await loadSegmentationPairs({ storage, dir: "raw" }, { storage, dir: "mito/" }, {
    channels: 1,
  });
  assert.deepEqual(slices.map((s) => `${s.id}:${s.subject}`), ["00:all", "01:all"]);
  assert.deepEqual(slices[1].image, Uint8Array.from([10, 20, 30, 40]));
  assert.deepEqual(slices[1].mask, Uint8Array.from([0, 0, 1, 1]));
  const refs = await listSegmentationPairs({ storage, dir: "both" }, { storage, dir: "both" });
  assert.deepEqual(refs.map((r) => [r.id, r.imagePath, r.maskPath]), [
    ["00", "both/00.png", "both/00_mask.png"],
    ["01", "both/01.png", "both/01_mask.png"],
  ]);
});

Deno.test("Lucchi layout: two multi-page TIFF files are paired page by page", async () => {
  const storage = new FileStorage(FIXTURES);
  const samples = await loadSegmentationPairs(
    { storage, dir: "stack_image.tif" },
    { storage, dir: "stack_mask.tif" },
    { channels: 1, subjectPattern: "^(stack)_" },
  );
  assert.deepEqual(samples.map((s) => s.id), [
    "stack_image.tif#0",
    "stack_image.tif#1",
    "stack_image.tif#2",
  ]);
  for (const [page, s] of samples.entries()) {
    // make_dataset_goldens.py: page p pixel i is 2 (30 p + i); mask where that is % 3 == 0.
    const values = Array.from({ length: 30 }, (_, i) => 2 * (30 * page + i));
    assert.equal(s.subject, "stack");
    assert.deepEqual([s.width, s.height], [6, 5]);
    assert.deepEqual(s.image, Uint8Array.from(values));
    assert.deepEqual(s.mask, Uint8Array.from(values, (v) => (v % 3 === 0 ? 1 : 0)));
  }
});

Deno.test("a missing partner, a size mismatch or a bad pattern is one clear line", async () => {
  const storage = new MemoryStorage();
  await storage.writeBytes("a/x_1.png", png(2, 2, 1, [0, 0, 0, 0]));
  await storage.writeBytes("a/x_2.png", png(2, 2, 1, [0, 0, 0, 0]));
  await storage.writeBytes("b/x_1_mask.png", png(2, 1, 1, [0, 0]));
  await storage.writeBytes("c/x_1_mask.png", png(2, 1, 1, [0, 0]));
  await storage.writeBytes("c/x_2.png", png(2, 2, 1, [0, 0, 0, 0]));
  await storage.writeBytes("c/x_3.png", png(2, 2, 1, [0, 0, 0, 0]));
  await storage.writeBytes("d/x_1.png", png(2, 1, 1, [0, 0]));
  await storage.writeBytes("d/x_1_mask.tif", png(2, 1, 1, [0, 0]));
  await storage.writeBytes("d/x_2.png", png(2, 2, 1, [0, 0, 0, 0]));
  const a = { storage, dir: "a" };
  await assert.rejects(
    () => loadSegmentationPairs(a, { storage, dir: "b" }),
    (e: Error) =>
      e instanceof RangeError && !e.message.includes("\n") &&
      e.message ===
        `Cannot pair images and masks as every image needs a mask "<stem>_mask.<ext>" or ` +
          `"<stem>.<ext>" in "b": current value is 1 image(s) without a mask (x_2.png) in "a"`,
  );
  await assert.rejects(
    () => loadSegmentationPairs(a, { storage, dir: "c" }),
    /^RangeError: Cannot pair images and masks as every mask needs an image "<stem>.<ext>" in "a": current value is 1 mask\(s\) without an image \(x_3.png\) in "c"$/,
  );
  await assert.rejects(
    () => loadSegmentationPairs({ storage, dir: "a" }, { storage, dir: "d" }),
    /Cannot pair images and masks as each image must have exactly one mask: current value is "x_1.png" with masks "x_1_mask.tif", "x_1.png" in "d"/,
  );
  const mismatch = new MemoryStorage();
  await mismatch.writeBytes("i/x_1.png", png(2, 2, 1, [0, 0, 0, 0]));
  await mismatch.writeBytes("m/x_1_mask.png", png(2, 1, 1, [0, 0]));
  await assert.rejects(
    () => loadSegmentationPairs({ storage: mismatch, dir: "i" }, { storage: mismatch, dir: "m" }),
    /^RangeError: Cannot pair images and masks as a mask must have its image's size: current value is "i\/x_1.png" 2x2 and "m\/x_1_mask.png" 2x1$/,
  );
  await assert.rejects(
    () => loadSegmentationPairs(a, { storage, dir: "d/x_1.png" }),
    /^TypeError: Cannot pair images and masks as both must be folders or both multi-page files: current value is folder "a" and file "d\/x_1.png"$/,
  );
  await assert.rejects(
    () => loadSegmentationPairs(a, { storage, dir: "nowhere" }),
    /Cannot load masks as the folder or file must exist: current value is "nowhere" in memory/,
  );
  await assert.rejects(
    () => loadSegmentationPairs(a, a, { subjectPattern: "([" }),
    (e: Error) => e instanceof SyntaxError && e.message.startsWith("Cannot parse subjectPattern"),
  );
  await assert.rejects(
    () => loadSegmentationPairs(a, a, { subjectPattern: "^x_" }),
    /Cannot use subjectPattern as it needs one capture group for the subject: current value is "\^x_"/,
  );
  await assert.rejects(
    () => loadSegmentationPairs(a, a, { channels: 2 as 1 }),
    /Cannot load segmentation pairs as channels must be 1 or 3: current value is 2/,
  );
});

async function checkEmSlices(ids: string[]) {
  const storage = new FileStorage(`${SEG_DATA}em_mito`);
  const samples = await loadSegmentationPairs({ storage, dir: "raw" }, { storage, dir: "mito" }, {
    channels: 1,
    include: (ref) => ids.includes(ref.id),
  });
  assert.deepEqual(samples.map((s) => s.id), ids);
  for (const s of samples) {
    const golden = GOLDENS.em_mito.find((g: { id: string }) => g.id === s.id);
    assert.deepEqual([s.width, s.height, s.channels, s.subject], [1024, 1024, 1, "all"]);
    assert.equal(foreground(s), golden.foreground, s.id);
    assert.equal(s.image.reduce((a, b) => a + b, 0), golden.sum, s.id);
  }
}

/** Slices 01 and 07 have empty masks stored as 1-bit PNGs. */
const ONE_BIT_MASKS = ["01", "07"];

Deno.test("real EM slices: 13 grey 1024x1024 TIFFs + 8-bit PNG masks match numpy exactly", async () => {
  const all = GOLDENS.em_mito.map((g: { id: string }) => g.id) as string[];
  assert.equal(all.length, 15);
  await checkEmSlices(all.filter((id) => !ONE_BIT_MASKS.includes(id)));
});

Deno.test({
  name: "real EM slices with 1-bit PNG masks (01, 07) load like the 8-bit ones",
  fn: () => checkEmSlices(ONE_BIT_MASKS),
});

Deno.test("real glomeruli: 24 pairs, 12 per subject; 4 decoded match PIL within JPEG rounding", async () => {
  const storage = new FileStorage(`${SEG_DATA}glomeruli`);
  const images = { storage, dir: "images" }, masks = { storage, dir: "masks" };
  const refs = await listSegmentationPairs(images, masks);
  assert.equal(refs.length, 24);
  assert.equal(refs.filter((r) => r.subject === "T19").length, 12);
  assert.equal(refs.filter((r) => r.subject === "T20").length, 12);
  assert.equal(refs.find((r) => r.id === "T19_Image99")?.maskPath, "masks/T19_Image99_mask.jpg");
  const picked = ["T19_Image0", "T19_Image999", "T20_Image5", "T20_Image6"];
  const start = performance.now();
  const samples = await loadSegmentationPairs(images, masks, {
    include: (ref) => picked.includes(ref.id),
  });
  console.log(`decoded 4 glomeruli pairs in ${(performance.now() - start).toFixed(0)} ms`);
  assert.deepEqual(samples.map((s) => s.id), picked);
  for (const s of samples) {
    const golden = GOLDENS.glomeruli.find((g: { id: string }) => g.id === s.id);
    const pixels = s.width * s.height;
    assert.deepEqual([s.width, s.height, s.channels], [2448, 2048, 3]);
    // JPEG decoders differ by a level or two; only pixels near 127 can change side.
    const diff = Math.abs(foreground(s) - golden.foreground);
    console.log(`${s.id}: foreground ${foreground(s)} vs PIL ${golden.foreground}`);
    assert.ok(diff <= golden.near_threshold / pixels, `${s.id}: foreground off by ${diff}`);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = c; i < s.image.length; i += 3) sum += s.image[i];
      const mean = sum / pixels;
      assert.ok(Math.abs(mean - golden.mean[c]) < 0.5, `${s.id} channel ${c} mean ${mean}`);
    }
  }
});
