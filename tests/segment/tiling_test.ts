/** Tile grids (known answers, coverage properties) and tile merging by max and mean. */
import assert from "node:assert/strict";
import {
  createTileField,
  finishTileField,
  mergeTiles,
  tileGrid,
} from "../../lib/segment/tiling.ts";
import { Rng } from "../../lib/runtime/rng.ts";

const unique = (values: number[]) => [...new Set(values)];

Deno.test("a 2448x2048 field: 5 x 4 tiles of 512, the last ones flush with the edges", () => {
  const tiles = tileGrid(2448, 2048);
  assert.equal(tiles.length, 20);
  assert.deepEqual(unique(tiles.map((t) => t.x)), [0, 512, 1024, 1536, 1936]);
  assert.deepEqual(unique(tiles.map((t) => t.y)), [0, 512, 1024, 1536]);
  assert.ok(tiles.every((t) => t.width === 512 && t.height === 512));
  // Row by row: the first row's five tiles, then the second row's.
  assert.deepEqual(tiles.slice(4, 6), [
    { x: 1936, y: 0, width: 512, height: 512 },
    { x: 0, y: 512, width: 512, height: 512 },
  ]);
});

Deno.test("tile starts: exact fits, one pixel over, overlap, and sides shorter than a tile", () => {
  const xs = (width: number, options = {}) => tileGrid(width, 10, options).map((t) => t.x);
  assert.deepEqual(xs(1024), [0, 512]);
  assert.deepEqual(xs(512), [0]);
  assert.deepEqual(xs(513), [0, 1]);
  assert.deepEqual(xs(1000, { overlap: 100 }), [0, 412, 488]);
  assert.deepEqual(xs(100, { tile: 40, overlap: 10 }), [0, 30, 60]);
  assert.deepEqual(tileGrid(300, 200), [{ x: 0, y: 0, width: 300, height: 200 }]);
  assert.deepEqual(tileGrid(300, 700).map((t) => [t.y, t.width, t.height]), [
    [0, 300, 512],
    [188, 300, 512],
  ]);
});

Deno.test("random sizes: tiles lie inside, cover every pixel, stride at most tile - overlap", () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 40; trial++) {
    const width = 1 + rng.int(300), height = 1 + rng.int(300);
    const tile = 8 + rng.int(64), overlap = rng.int(tile);
    const tiles = tileGrid(width, height, { tile, overlap });
    const covered = new Uint8Array(width * height);
    for (const t of tiles) {
      assert.ok(t.x >= 0 && t.y >= 0 && t.x + t.width <= width && t.y + t.height <= height);
      assert.equal(t.width, Math.min(tile, width));
      assert.equal(t.height, Math.min(tile, height));
      for (let y = t.y; y < t.y + t.height; y++) {
        covered.fill(1, y * width + t.x, y * width + t.x + t.width);
      }
    }
    assert.ok(covered.every((v) => v === 1), `${width}x${height} tile ${tile} overlap ${overlap}`);
    const starts = unique(tiles.map((t) => t.x));
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] <= tile - overlap);
  }
});

Deno.test("mergeTiles: per-pixel maximum and overlap mean, exactly", () => {
  const tiles = [{ x: 0, y: 0, width: 2, height: 2 }, { x: 1, y: 1, width: 2, height: 2 }];
  const data = [0.1, 0.2, 0.3, 0.4, /* second tile */ 0.9, 0.0, 0.5, 0.6];
  const max = createTileField(3, 3, "max");
  mergeTiles(max, tiles.slice(0, 1), data.slice(0, 4));
  mergeTiles(max, tiles.slice(1), data.slice(4));
  assert.throws(() => finishTileField(createTileField(3, 3)), /no tile at x 0, y 0/);
  const f32 = (values: number[]) => Array.from(Float32Array.from(values));
  assert.throws(() => finishTileField(max), /current value is no tile at x 2, y 0/);
  mergeTiles(max, [{ x: 2, y: 0, width: 1, height: 1 }, { x: 0, y: 2, width: 1, height: 1 }], [
    0.7,
    0.8,
  ]);
  assert.deepEqual(
    Array.from(finishTileField(max)),
    f32([0.1, 0.2, 0.7, 0.3, 0.9, 0, 0.8, 0.5, 0.6]),
  );
  const mean = createTileField(3, 3, "mean");
  mergeTiles(mean, [...tiles, { x: 2, y: 0, width: 1, height: 1 }, {
    x: 0,
    y: 2,
    width: 1,
    height: 1,
  }], [
    ...data,
    0.7,
    0.8,
  ]);
  const m = finishTileField(mean);
  assert.ok(Math.abs(m[4] - (0.4 + 0.9) / 2) < 1e-7);
  assert.deepEqual([m[0], m[5], m[8]], f32([0.1, 0, 0.6]));
});

Deno.test("bad tiles and options give named errors", () => {
  assert.throws(
    () => tileGrid(100, 100, { tile: 64, overlap: 64 }),
    /Cannot tile a field as the overlap must be an integer in \[0, 64\): current value is 64/,
  );
  assert.throws(() => tileGrid(0, 10), /the width must be a positive integer: current value is 0/);
  const field = createTileField(2, 2);
  assert.throws(
    () => mergeTiles(field, [{ x: 1, y: 0, width: 2, height: 1 }], [1, 2]),
    /Cannot merge tiles as each must lie inside the 2x2 field/,
  );
  assert.throws(
    () => mergeTiles(field, [{ x: 0, y: 0, width: 2, height: 1 }], [1]),
    /their data must hold 2 values: current value is 1/,
  );
  assert.throws(
    () => mergeTiles(field, [{ x: 0, y: 0, width: 2, height: 1 }], [1, NaN]),
    /values must be numbers: current value is NaN at 1/,
  );
  assert.throws(() => createTileField(2, 2, "sum" as "max"), /merge must be "max" or "mean"/);
});
