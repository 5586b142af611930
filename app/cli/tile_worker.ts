/**
 * Starts the tile worker (workers/tile_worker.ts) that whole-field inference splits each
 * batch of tiles with on the CPU backends (`infer.data_parallel`).
 *
 * @module
 */

/** A new module worker running workers/tile_worker.ts. */
export function createTileWorker(): Worker {
  return new Worker(new URL("../../workers/tile_worker.ts", import.meta.url).href, {
    type: "module",
  });
}
