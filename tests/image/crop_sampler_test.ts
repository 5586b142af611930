import assert from "node:assert/strict";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  type CropOptions,
  fixedCrops,
  renderCrop,
  sampleCrop,
} from "../../lib/image/crop_sampler.ts";
import { IMAGENET_NORMALIZATION, normalizeImage } from "../../lib/image/normalization.ts";
import type { SegSample } from "../../lib/segment/seg_dataset.ts";
import { assertAllClose } from "../_support/assert_close.ts";

// Goldens from tests/segment/make_dataset_goldens.py (numpy rot90/flips, scipy map_coordinates).
const GOLDENS = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/crop_goldens.json", import.meta.url)),
);
const PATTERN: SegSample = {
  id: "pattern",
  subject: "all",
  width: GOLDENS.pattern.width,
  height: GOLDENS.pattern.height,
  channels: 3,
  image: Uint8Array.from(GOLDENS.pattern.image),
  mask: Uint8Array.from(GOLDENS.pattern.mask),
};
/** Only geometry: no scale, free rotation or photometric jitter. */
const GEOMETRY_ONLY: CropOptions = {
  rotateDegrees: 0,
  scaleJitter: 0,
  brightness: 0,
  contrast: 0,
};

function buffers(size: number, channels: number) {
  return {
    image: new Float32Array(size * size * channels),
    mask: new Float32Array(size * size),
  };
}

/** The window's pixels with numpy's "symmetric" padding (edge repeated) outside the image. */
function windowPixels(sample: SegSample, x: number, y: number, size: number): Uint8Array {
  const mirror = (i: number, n: number) => {
    const m = ((i % (2 * n)) + 2 * n) % (2 * n);
    return m < n ? m : 2 * n - 1 - m;
  };
  const C = sample.channels, out = new Uint8Array(size * size * C);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const src = mirror(y + i, sample.height) * sample.width + mirror(x + j, sample.width);
      for (let c = 0; c < C; c++) out[(i * size + j) * C + c] = sample.image[src * C + c];
    }
  }
  return out;
}

/** A black 64x64 grey sample with the given mask. */
function blackSample(id: string, mask: Uint8Array): SegSample {
  return {
    id,
    subject: "all",
    width: 64,
    height: 64,
    channels: 1,
    image: new Uint8Array(64 * 64),
    mask,
  };
}

Deno.test("a plain crop with cropSize == inputSize is the window's pixels, normalised, exactly", () => {
  const rng = new Rng(3);
  let inside = 0;
  for (let draw = 0; draw < 40; draw++) {
    const out = buffers(8, 3);
    const d = sampleCrop(PATTERN, rng, { inputSize: 8, cropSize: 8, augment: false }, out);
    assert.equal(d.x, d.centerX - 4);
    const expected = windowPixels(PATTERN, d.x, d.y, 8);
    assert.deepEqual(out.image, normalizeImage(expected, 3, IMAGENET_NORMALIZATION));
    inside += d.x >= 0 && d.y >= 0 && d.x + 8 <= 24 && d.y + 8 <= 20 ? 1 : 0;
  }
  assert.ok(inside > 0 && inside < 40, `both inside and mirrored windows drawn (${inside})`);
});

Deno.test("flips and quarter turns equal numpy fliplr/flipud + rot90 of the window, exactly", () => {
  const { x, y, size } = GOLDENS.window;
  assert.equal(GOLDENS.combos.length, 16);
  for (const combo of GOLDENS.combos) {
    const out = buffers(size, 3);
    const transform = {
      x,
      y,
      size,
      flipH: combo.flipH,
      flipV: combo.flipV,
      quarterTurns: combo.quarterTurns,
    };
    renderCrop(PATTERN, transform, { inputSize: size }, out);
    const label = JSON.stringify(transform);
    assert.deepEqual(out.image, normalizeImage(Uint8Array.from(combo.image), 3), label);
    assert.deepEqual(out.mask, Float32Array.from(combo.mask), label);
  }
});

Deno.test("sampleCrop's flips and turns give the numpy orientation of its own window", () => {
  const rng = new Rng(11);
  const seen = new Set<string>();
  for (let draw = 0; draw < 64; draw++) {
    const out = buffers(8, 3);
    const d = sampleCrop(PATTERN, rng, { ...GEOMETRY_ONLY, inputSize: 8, cropSize: 8 }, out);
    assert.equal(d.angleDegrees, 0);
    assert.equal(d.scale, 1);
    seen.add(`${d.flipH}${d.flipV}${d.quarterTurns}`);
    const plain = buffers(8, 3);
    renderCrop(PATTERN, { x: d.x, y: d.y, size: 8 }, { inputSize: 8 }, plain);
    // Re-orient the plain crop in the test (numpy semantics: fliplr, flipud, then rot90).
    const expected = new Float32Array(plain.image.length);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        let [r, c] = [i, j];
        for (let k = 0; k < d.quarterTurns; k++) [r, c] = [c, 7 - r]; // rot90: out[i,j] = in[j, n-1-i]
        if (d.flipV) r = 7 - r;
        if (d.flipH) c = 7 - c;
        for (let ch = 0; ch < 3; ch++) {
          expected[(i * 8 + j) * 3 + ch] = plain.image[(r * 8 + c) * 3 + ch];
        }
      }
    }
    assert.deepEqual(out.image, expected);
  }
  assert.ok(seen.size >= 12, `most of the 16 orientations drawn (${seen.size})`);
});

Deno.test("a rotated, scaled, flipped crop past the edge matches scipy map_coordinates", () => {
  const { transform, inputSize, image, mask } = GOLDENS.warp;
  const out = buffers(inputSize, 3);
  // std 1/255 and mean 0 undo the scaling to [0, 1], so values stay in 0..255 units.
  renderCrop(PATTERN, transform, { inputSize, norm: { mean: [0], std: [1 / 255] } }, out);
  assertAllClose(out.image, image, { atol: 1e-3, rtol: 0, label: "warped image" });
  assert.deepEqual(out.mask, Float32Array.from(mask));
});

Deno.test("a window twice the input size averages 2x2 blocks (half-pixel centres)", () => {
  const out = buffers(4, 3);
  renderCrop(
    PATTERN,
    { x: 6, y: 2, size: 8 },
    { inputSize: 4, norm: { mean: [0], std: [1] } },
    out,
  );
  const expected = new Float32Array(4 * 4 * 3);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (const [di, dj] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
          sum += PATTERN.image[((2 + 2 * i + di) * 24 + 6 + 2 * j + dj) * 3 + c];
        }
        expected[(i * 4 + j) * 3 + c] = sum / 4 / 255;
      }
    }
  }
  assertAllClose(out.image, expected, { atol: 1e-6, rtol: 0 });
});

Deno.test("brightness and contrast act around the crop mean in [0, 1] units, clamped", () => {
  const { x, y } = GOLDENS.window;
  const out = buffers(8, 3);
  const norm = { mean: [0.2], std: [0.5] };
  renderCrop(
    PATTERN,
    { x, y, size: 8, brightness: 0.3, contrast: 1.4 },
    { inputSize: 8, norm },
    out,
  );
  const pixels = windowPixels(PATTERN, x, y, 8);
  const mean = pixels.reduce((a, b) => a + b, 0) / pixels.length / 255;
  let clamped = 0;
  const expected = Float32Array.from(pixels, (v) => {
    const raw = (v / 255 - mean) * 1.4 + mean + 0.3;
    clamped += raw > 1 ? 1 : 0;
    return (Math.min(1, Math.max(0, raw)) - 0.2) / 0.5;
  });
  assert.ok(clamped > 0, "some values clamp at 1");
  assertAllClose(out.image, expected, { atol: 1e-6, rtol: 0 });
});

Deno.test("positive-aware centres: 60% foreground draws plus background-chance hits", () => {
  // 64x64 with a 16x16 foreground square: 1/16 of the pixels.
  const mask = new Uint8Array(64 * 64);
  for (let y = 20; y < 36; y++) mask.fill(1, y * 64 + 30, y * 64 + 46);
  const sample = blackSample("square", mask);
  const rng = new Rng(2024);
  let positive = 0, hits = 0;
  for (let draw = 0; draw < 2000; draw++) {
    const d = sampleCrop(sample, rng, { inputSize: 4, cropSize: 4, augment: false }, buffers(4, 1));
    const onForeground = mask[d.centerY * 64 + d.centerX] === 1;
    if (d.positive) assert.ok(onForeground, "a positive draw is centred on foreground");
    positive += d.positive ? 1 : 0;
    hits += onForeground ? 1 : 0;
  }
  const expected = 0.6 + 0.4 / 16; // 0.625; binomial sd over 2000 draws ~0.011
  console.log(
    `positive draws ${positive / 2000}, centres on foreground ${
      hits / 2000
    } (expected ${expected})`,
  );
  assert.ok(Math.abs(positive / 2000 - 0.6) < 0.035);
  assert.ok(Math.abs(hits / 2000 - expected) < 0.035);

  const empty = { ...sample, mask: new Uint8Array(64 * 64) };
  const d = sampleCrop(empty, new Rng(1), {
    positiveProb: 1,
    augment: false,
    cropSize: 4,
    inputSize: 4,
  }, buffers(4, 1));
  assert.equal(d.positive, false, "no foreground: uniform centre");
});

Deno.test("the same rng state gives the same crop and draw", () => {
  const options: CropOptions = { inputSize: 8, cropSize: 10 };
  const rng = new Rng(99);
  rng.float();
  const state = rng.state();
  const a = buffers(8, 3), b = buffers(8, 3);
  const drawA = sampleCrop(PATTERN, rng, options, a);
  const drawB = sampleCrop(PATTERN, Rng.fromState(state), options, b);
  assert.deepEqual(drawA, drawB);
  assert.deepEqual(a, b);
  const c = buffers(8, 3);
  sampleCrop(PATTERN, rng, options, c);
  assert.notDeepEqual(a.image, c.image, "the next draw differs");
});

Deno.test("speed: one 256 crop from a 2448x2048 RGB image takes a few ms", () => {
  const width = 2448, height = 2048;
  const image = new Uint8Array(width * height * 3);
  for (let i = 0; i < image.length; i++) image[i] = (i * 2654435761) >>> 24;
  const mask = new Uint8Array(width * height);
  mask.fill(1, 1000 * width, 1100 * width);
  const sample: SegSample = { id: "big", subject: "all", width, height, channels: 3, image, mask };
  const out = buffers(256, 3);
  const rng = new Rng(5);
  sampleCrop(sample, rng, {}, out); // warm-up, builds the foreground index list
  const n = 30, start = performance.now();
  for (let i = 0; i < n; i++) sampleCrop(sample, rng, {}, out);
  const ms = (performance.now() - start) / n;
  console.log(`sampleCrop 512 -> 256 RGB with augmentation: ${ms.toFixed(2)} ms per crop`);
  assert.ok(ms < 50, `${ms} ms per crop`);
});

Deno.test("fixedCrops: a non-overlapping grid whose last row and column are flush to the edge", () => {
  const windows = fixedCrops({ width: 2448, height: 2048 }, { cropSize: 512 });
  assert.equal(windows.length, 20);
  assert.deepEqual([...new Set(windows.map((w) => w.x))], [0, 512, 1024, 1536, 1936]);
  assert.deepEqual([...new Set(windows.map((w) => w.y))], [0, 512, 1024, 1536]);
  assert.deepEqual(windows[6], { x: 512, y: 512, size: 512 });
  assert.deepEqual(fixedCrops({ width: 300, height: 200 }, { cropSize: 512 }), [
    { x: 0, y: 0, size: 512 },
  ]);
  assert.deepEqual(
    fixedCrops({ width: 10, height: 4 }, { cropSize: 4, stride: 3 }).map((w) => w.x),
    [0, 3, 6],
  );
});

Deno.test("bad options and buffers give named errors", () => {
  assert.throws(
    () => sampleCrop(PATTERN, new Rng(0), { inputSize: 8 }, buffers(4, 3)),
    /^RangeError: Cannot crop sample "pattern" as the output must hold 8x8x3 and 8x8 values: current value is 48 and 16$/,
  );
  assert.throws(
    () => sampleCrop(PATTERN, new Rng(0), { positiveProb: 1.5 }, buffers(256, 3)),
    /Cannot sample a crop as positiveProb must be in \[0, 1\]: current value is 1.5/,
  );
  assert.throws(
    () => fixedCrops(PATTERN, { cropSize: 0 }),
    /Cannot make a crop as cropSize must be a positive integer: current value is 0/,
  );
});

Deno.test("positiveJitter moves positive windows so their foreground pixel lands anywhere", () => {
  // One foreground pixel at (32, 32) of a 64x64 image; 16 px windows, always positive.
  const mask = new Uint8Array(64 * 64);
  mask[32 * 64 + 32] = 1;
  const sample = blackSample("dot", mask);
  const rng = new Rng(7);
  const offsets: number[] = [];
  for (let draw = 0; draw < 500; draw++) {
    const d = sampleCrop(sample, rng, {
      inputSize: 16,
      cropSize: 16,
      positiveProb: 1,
      positiveJitter: 1,
      rotate90: false,
      flipProb: 0,
      rotateDegrees: 0,
      scaleJitter: 0,
      brightness: 0,
      contrast: 0,
    }, buffers(16, 1));
    const dx = 32 - d.x, dy = 32 - d.y; // the pixel's place in the window
    assert.ok(dx >= 0 && dx <= 16 && dy >= 0 && dy <= 16, `pixel at ${dx},${dy} of the window`);
    offsets.push(dx);
  }
  // Uniform over the window (0..16), not stuck at its centre (8).
  const spread = Math.max(...offsets) - Math.min(...offsets);
  assert.ok(spread >= 14, `spread ${spread}`);
  const centred = offsets.filter((o) => o === 8).length / offsets.length;
  assert.ok(centred < 0.15, `share at the centre ${centred}`);
});
