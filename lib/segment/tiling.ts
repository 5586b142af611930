/**
 * Tiling a whole field for patch-wise inference, and merging the tiles' probabilities
 * back into one field by per-pixel maximum or by the mean over overlapping tiles.
 *
 * @module
 */
import type { PixelRect } from "./regions.ts";

/** Options for {@linkcode tileGrid}. */
export interface TileGridOptions {
  /** Tile side in pixels. Default 512. */
  tile?: number;
  /** Pixels shared by neighbouring tiles; stride = tile - overlap. Default 0. */
  overlap?: number;
}

/** How overlapping tiles combine: per-pixel maximum, or mean over the covering tiles. */
export type MergeMode = "max" | "mean";

/** A field being assembled from tiles (see {@linkcode createTileField}). */
export interface TileField {
  width: number;
  height: number;
  merge: MergeMode;
  /** Max mode: the running maximum (-Infinity where no tile came yet); mean mode: the sum. */
  values: Float32Array;
  /** Mean mode: tiles covering each pixel so far; null in max mode. */
  coverage: Uint32Array | null;
}

function _checkPositive(value: number, name: string, caller: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot ${caller} as ${name} must be a positive integer: current value is ${value}`,
    );
  }
}

function _starts(size: number, tile: number, stride: number): number[] {
  if (size <= tile) return [0];
  const starts: number[] = [];
  for (let s = 0; s + tile < size; s += stride) starts.push(s);
  starts.push(size - tile); // the last tile sits flush with the far edge
  return starts;
}

/**
 * The tiles covering a width x height field, row by row: side `tile` (512), stride
 * `tile - overlap` (overlap 0), the last column and row shifted flush to the right and
 * bottom edges. Tiles are smaller than `tile` only along a side shorter than `tile`.
 *
 * @example
 * ```ts
 * import { tileGrid } from "./tiling.ts";
 * const tiles = tileGrid(2448, 2048);
 * console.assert(tiles.length === 20);
 * console.assert(tiles.slice(0, 5).map((t) => t.x).join() === "0,512,1024,1536,1936");
 * console.assert(tileGrid(300, 200)[0].width === 300);
 * ```
 */
export function tileGrid(
  width: number,
  height: number,
  options: TileGridOptions = {},
): PixelRect[] {
  const tile = options.tile ?? 512, overlap = options.overlap ?? 0;
  _checkPositive(width, "the width", "tile a field");
  _checkPositive(height, "the height", "tile a field");
  _checkPositive(tile, "the tile size", "tile a field");
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile) {
    throw new RangeError(
      `Cannot tile a field as the overlap must be an integer in [0, ${tile}): ` +
        `current value is ${overlap}`,
    );
  }
  const stride = tile - overlap;
  const tileWidth = Math.min(tile, width), tileHeight = Math.min(tile, height);
  const tiles: PixelRect[] = [];
  for (const y of _starts(height, tile, stride)) {
    for (const x of _starts(width, tile, stride)) {
      tiles.push({ x, y, width: tileWidth, height: tileHeight });
    }
  }
  return tiles;
}

/**
 * An empty field to merge tiles into with {@linkcode mergeTiles}.
 *
 * @example
 * ```ts
 * import { createTileField } from "./tiling.ts";
 * const field = createTileField(4, 3, "mean");
 * console.assert(field.values.length === 12 && field.coverage !== null);
 * ```
 */
export function createTileField(
  width: number,
  height: number,
  merge: MergeMode = "max",
): TileField {
  _checkPositive(width, "the width", "create a tile field");
  _checkPositive(height, "the height", "create a tile field");
  if (merge !== "max" && merge !== "mean") {
    throw new RangeError(
      `Cannot create a tile field as merge must be "max" or "mean": ` +
        `current value is ${JSON.stringify(merge)}`,
    );
  }
  const values = new Float32Array(width * height);
  if (merge === "max") values.fill(-Infinity);
  return {
    width,
    height,
    merge,
    values,
    coverage: merge === "mean" ? new Uint32Array(width * height) : null,
  };
}

/**
 * Merges tiles' values into the field: `data` holds the tiles one after another, each
 * row-major with `tile.width * tile.height` values (e.g. a [B, h, w, 1] tensor's data).
 *
 * @example
 * ```ts
 * import { createTileField, finishTileField, mergeTiles } from "./tiling.ts";
 * const field = createTileField(3, 1, "max");
 * mergeTiles(field, [{ x: 0, y: 0, width: 2, height: 1 }, { x: 1, y: 0, width: 2, height: 1 }], [0.2, 0.9, 0.5, 0.4]);
 * console.assert(Array.from(finishTileField(field)).join() === [0.2, 0.9, 0.4].map(Math.fround).join());
 * ```
 */
export function mergeTiles(
  field: TileField,
  tiles: readonly PixelRect[],
  data: ArrayLike<number>,
): void {
  const { width, height, values, coverage } = field;
  const needed = tiles.reduce((n, t) => n + t.width * t.height, 0);
  if (data.length !== needed) {
    throw new RangeError(
      `Cannot merge tiles as their data must hold ${needed} values: current value is ${data.length}`,
    );
  }
  let k = 0;
  for (const t of tiles) {
    if (t.x < 0 || t.y < 0 || t.x + t.width > width || t.y + t.height > height) {
      throw new RangeError(
        `Cannot merge tiles as each must lie inside the ${width}x${height} field: ` +
          `current value is ${JSON.stringify(t)}`,
      );
    }
    for (let row = 0; row < t.height; row++) {
      let i = (t.y + row) * width + t.x;
      for (let col = 0; col < t.width; col++, i++, k++) {
        const v = data[k];
        if (Number.isNaN(v)) {
          throw new RangeError(
            `Cannot merge tiles as their values must be numbers: current value is NaN at ${k}`,
          );
        }
        if (coverage === null) {
          if (v > values[i]) values[i] = v;
        } else {
          values[i] += v;
          coverage[i]++;
        }
      }
    }
  }
}

/**
 * The merged field: the maxima, or the sums divided by the number of covering tiles.
 * Throws if a pixel was covered by no tile (with {@linkcode tileGrid} none is).
 *
 * @example
 * ```ts
 * import { createTileField, finishTileField, mergeTiles } from "./tiling.ts";
 * const field = createTileField(3, 1, "mean");
 * mergeTiles(field, [{ x: 0, y: 0, width: 2, height: 1 }, { x: 1, y: 0, width: 2, height: 1 }], [0.2, 0.9, 0.5, 0.4]);
 * console.assert(Math.abs(finishTileField(field)[1] - 0.7) < 1e-6);
 * ```
 */
export function finishTileField(field: TileField): Float32Array {
  const { values, coverage } = field;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const covered = coverage === null ? values[i] !== -Infinity : coverage[i] > 0;
    if (!covered) {
      throw new RangeError(
        `Cannot finish the tile field as every pixel must be covered by a tile: ` +
          `current value is no tile at x ${i % field.width}, y ${Math.floor(i / field.width)}`,
      );
    }
    out[i] = coverage === null ? values[i] : values[i] / coverage[i];
  }
  return out;
}
