/**
 * Tiled whole-field inference against PyTorch (fixtures/segment_field_goldens.*, written by
 * make_segment_field_goldens.py): the same tiles resized with F.interpolate(bilinear,
 * align_corners=False), a "model" that returns channel 0, merged by max or mean.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { segmentField, thresholdField } from "../../lib/segment/segment_field.ts";
import { tileGrid } from "../../lib/segment/tiling.ts";
import { assertAllClose } from "../_support/assert_close.ts";

interface GoldenCase {
  name: string;
  width: number;
  height: number;
  channels: number;
  tile: number;
  overlap: number;
  inputSize: number;
  merge: "max" | "mean";
  batchSize: number;
  tiles: { x: number; y: number; width: number; height: number }[];
  offset: number;
}

const FIXTURES = new URL("./fixtures/", import.meta.url);
const GOLDENS: { cases: GoldenCase[] } = JSON.parse(
  await Deno.readTextFile(new URL("segment_field_goldens.json", FIXTURES)),
);
const FIELDS = new Float32Array(
  (await Deno.readFile(new URL("segment_field_goldens.f32", FIXTURES))).buffer,
);

/** value(x, y, c) = ((7x + 13y + 29c) mod 97) / 97, as the golden script. */
function formulaImage(width: number, height: number, channels: number): Float32Array {
  const data = new Float32Array(width * height * channels);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++, i++) data[i] = ((7 * x + 13 * y + 29 * c) % 97) / 97;
    }
  }
  return data;
}

const channelZero = (x: tf.Tensor4D) => tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]);

await tf.setBackend("cpu");

Deno.test("fields equal PyTorch's bilinear resize + max/mean merge on the same tiles", async () => {
  for (const c of GOLDENS.cases) {
    const { width, height, channels } = c;
    assert.deepEqual(
      tileGrid(width, height, { tile: c.tile, overlap: c.overlap }),
      c.tiles,
      c.name,
    );
    const shapes: number[][] = [];
    const progress: number[][] = [];
    const before = tf.memory().numTensors;
    const prob = await segmentField(
      (x) => {
        shapes.push(x.shape);
        return channelZero(x);
      },
      { data: formulaImage(width, height, channels), width, height, channels },
      {
        tile: c.tile,
        overlap: c.overlap,
        inputSize: c.inputSize,
        batchSize: c.batchSize,
        merge: c.merge,
        onTile: (done, total) => progress.push([done, total]),
      },
    );
    assert.equal(tf.memory().numTensors, before, `${c.name}: no tensor leaks`);
    const expected = FIELDS.subarray(c.offset, c.offset + width * height);
    assertAllClose(prob, expected, { atol: 2e-6, rtol: 0, label: c.name });
    // Batches of batchSize tiles, each [B, inputSize, inputSize, C]; progress per batch.
    const n = c.tiles.length;
    const sizes = shapes.map((s) => s[0]);
    assert.equal(sizes.reduce((a, b) => a + b), n);
    assert.ok(sizes.slice(0, -1).every((b) => b === c.batchSize));
    assert.ok(
      shapes.every((s) => s.slice(1).join() === [c.inputSize, c.inputSize, channels].join()),
    );
    assert.deepEqual(progress.at(-1), [n, n]);
    assert.equal(progress.length, Math.ceil(n / c.batchSize));
  }
});

Deno.test("max merge: where tiles overlap the larger prediction wins", async () => {
  // Two 6-wide tiles over a 10-wide field (x 0 and 4); tile 0 predicts 0.3, tile 1 0.8.
  let call = 0;
  const prob = await segmentField(
    (x) => tf.fill([x.shape[0], 6, 6, 1], [0.3, 0.8][call++]) as tf.Tensor4D,
    { data: new Float32Array(10 * 6), width: 10, height: 6, channels: 1 },
    { tile: 6, inputSize: 6, batchSize: 1 },
  );
  assert.deepEqual(
    Array.from(prob.subarray(0, 10)),
    [0.3, 0.3, 0.3, 0.3, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8].map(Math.fround),
  );
  const mean = await segmentField(
    (x) => tf.mul(tf.onesLike(x), tf.scalar(x.shape[0] === 2 ? 0.2 : 0)) as tf.Tensor4D,
    { data: new Float32Array(10 * 6), width: 10, height: 6, channels: 1 },
    { tile: 6, inputSize: 6, batchSize: 2, merge: "mean" },
  );
  assert.ok(mean.every((v) => Math.abs(v - 0.2) < 1e-7));
});

Deno.test("an async predict, and a wrong output shape or a throwing predict leak nothing", async () => {
  const image = { data: formulaImage(50, 40, 3), width: 50, height: 40, channels: 3 };
  const options = { tile: 32, inputSize: 16, batchSize: 3 };
  const sync = await segmentField(channelZero, image, options);
  const asyncProb = await segmentField(
    async (x) => {
      await new Promise((r) => setTimeout(r, 1));
      return channelZero(x);
    },
    image,
    options,
  );
  assert.deepEqual(asyncProb, sync);
  const before = tf.memory().numTensors;
  await assert.rejects(
    () => segmentField((x) => x, image, options),
    /Error in segmentField: predict must return \[3, 16, 16, 1\] but got shape \[3,16,16,3\]/,
  );
  await assert.rejects(
    () =>
      segmentField(
        () => {
          throw new Error("model failed");
        },
        image,
        options,
      ),
    /model failed/,
  );
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(
    () => segmentField(channelZero, { ...image, data: new Float32Array(5) }, options),
    /image.data must be a Float32Array of 50x40x3 values: current value is Float32Array of 5/,
  );
  await assert.rejects(
    () => segmentField(channelZero, image, { batchSize: 0 }),
    /batchSize must be a positive integer: current value is 0/,
  );
});

Deno.test("a whole 2448x2048 RGB field with a trivial model: 20 tiles of [<=4, 256, 256, 3]", async () => {
  const width = 2448, height = 2048;
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data[i] = (i / 3) % width < 1936 ? 0 : 1;
  const shapes: number[][] = [];
  const before = tf.memory().numTensors;
  const start = performance.now();
  const prob = await segmentField((x) => {
    shapes.push(x.shape);
    return channelZero(x);
  }, { data, width, height, channels: 3 });
  const ms = performance.now() - start;
  console.log(`segmentField 2448x2048x3, 20 tiles, cpu backend: ${ms.toFixed(0)} ms`);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(prob.length, width * height);
  assert.deepEqual(shapes.map((s) => s.join("x")), Array(5).fill("4x256x256x3"));
  // A stripe of 1s at x >= 1936 fills the flush last column of tiles exactly. In the
  // tile at x 1536 the edge sits at local x 400: halved and doubled it blurs to 0.25 at
  // x 1935 and 0.75 at x 1936, where the max merge keeps the flush tile's 1.
  assert.equal(prob[100 * width + 1934], 0);
  assert.equal(prob[100 * width + 1935], 0.25);
  assert.equal(prob[100 * width + 1936], 1);
  assert.equal(prob[2047 * width + 2447], 1);
  const mask = thresholdField(prob);
  assert.equal(mask.reduce((a, b) => a + b, 0), (width - 1936) * height);
});

Deno.test("thresholdField: strictly greater than 0.75 by default", () => {
  assert.deepEqual(Array.from(thresholdField([0, 0.75, 0.7500001, 1])), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(thresholdField(Float32Array.of(0.4, 0.6), 0.5)), [0, 1]);
  assert.throws(() => thresholdField([1], NaN), /threshold must be a finite number/);
});
