/**
 * Whole-field inference on two threads: each batch of tiles is split in two, the first
 * half predicted on this thread and the rest in a module worker (workers/tile_worker.ts)
 * holding a copy of the model, at the same time. tfjs's wasm backend runs single-threaded
 * in Deno, so this is how `deno task segment` uses a second core.
 *
 * Unlike data-parallel training nothing changes numerically: every layer of the U-Net
 * works per tile (GroupNorm normalises each example on its own), both threads run the
 * same kernels, so each tile's probabilities are the ones a single thread computes.
 *
 * This module stays free of Deno: the caller passes a factory that starts the worker.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { transfer, wrap } from "comlink";
import type { BackendRequest } from "../runtime/backend.ts";
import { tileProbability } from "./segment_image.ts";

/** The API of workers/tile_worker.ts. */
export interface TileWorkerApi {
  /**
   * Builds the model from its topology (`model.toJSON(null, false)`), starts `backend` and
   * sets the weights (`model.getWeights()` order); returns the backend's name.
   */
  init(topology: unknown, weights: Float32Array[], backend: BackendRequest): Promise<string>;
  /** Foreground probabilities `[B, S, S, 1]` of tiles `[B, S, S, C]` (tileProbability). */
  probability(tiles: Float32Array, shape: number[], flips: boolean): Promise<Float32Array>;
}

/**
 * The two-thread split of whole-field inference, started and ready, when `enabled`, a
 * worker can be started and the current backend is a CPU one; undefined otherwise (on
 * WebGPU the device already works in parallel).
 */
export async function startParallelTiles(
  model: tf.LayersModel,
  enabled: boolean,
  createWorker: (() => Worker) | undefined,
): Promise<ParallelTiles | undefined> {
  const backend = tf.getBackend();
  if (!enabled || createWorker === undefined || (backend !== "wasm" && backend !== "cpu")) {
    return undefined;
  }
  const parallel = new ParallelTiles({ model, createWorker, backend });
  try {
    await parallel.ready();
  } catch (error) {
    parallel.dispose();
    throw error;
  }
  return parallel;
}

/** Options of {@linkcode ParallelTiles}. */
export interface ParallelTilesOptions {
  /** The model on this thread; the worker gets a copy of its weights once. */
  model: tf.LayersModel;
  /** Starts the tile worker. */
  createWorker: () => Worker;
  /** The worker's backend. Default "wasm". */
  backend?: BackendRequest;
}

/**
 * Tile probabilities with half of each batch in a worker. Call
 * {@linkcode ParallelTiles.dispose} to stop the worker.
 *
 * @example
 * ```ts ignore
 * const parallel = new ParallelTiles({ model, createWorker: createTileWorker });
 * const probs = await parallel.probability(tiles, { flips: false }); // [B, S, S, 1]
 * parallel.dispose();
 * ```
 */
export class ParallelTiles {
  readonly #model: tf.LayersModel;
  readonly #backend: BackendRequest;
  readonly #worker: Worker;
  readonly #api: ReturnType<typeof wrap<TileWorkerApi>>;
  #ready: Promise<void> | undefined;

  constructor(options: ParallelTilesOptions) {
    this.#model = options.model;
    this.#backend = options.backend ?? "wasm";
    this.#worker = options.createWorker();
    this.#api = wrap<TileWorkerApi>(this.#worker);
  }

  /** Starts the worker's backend and model (done by the first `probability` otherwise). */
  ready(): Promise<void> {
    this.#ready ??= (async () => {
      const weights = this.#model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
      await this.#api.init(
        this.#model.toJSON(null, false),
        transfer(weights, weights.map((w) => w.buffer)),
        this.#backend,
      );
    })();
    return this.#ready;
  }

  /**
   * The foreground probability `[B, S, S, 1]` of tiles `[B, S, S, C]`: rows [0, ⌈B/2⌉) here,
   * the rest in the worker. The caller disposes `tiles` and the result.
   */
  async probability(tiles: tf.Tensor4D, options: { flips?: boolean } = {}): Promise<tf.Tensor4D> {
    await this.ready();
    const rows = tiles.shape[0];
    const split = Math.ceil(rows / 2);
    const flips = options.flips ?? false;
    if (split === rows) return tileProbability(this.#model, tiles, { flips });
    const rest = tf.slice(tiles, split, rows - split);
    const restShape = rest.shape;
    const restData = (rest.dataSync() as Float32Array).slice();
    rest.dispose();
    // comlink posts the message now, so the worker starts while this thread computes.
    const remote = this.#api.probability(transfer(restData, [restData.buffer]), restShape, flips);
    let local: tf.Tensor4D;
    try {
      local = tf.tidy(() => tileProbability(this.#model, tf.slice(tiles, 0, split), { flips }));
    } catch (error) {
      await remote.catch(() => {});
      throw error;
    }
    let other: Float32Array;
    try {
      other = await remote;
    } catch (error) {
      local.dispose();
      throw error;
    }
    const [, h, w, c] = local.shape;
    const result = tf.tidy(() =>
      tf.concat([local, tf.tensor4d(other, [rows - split, h, w, c])], 0) as tf.Tensor4D
    );
    local.dispose();
    return result;
  }

  /** Stops the worker. */
  dispose(): void {
    this.#worker.terminate();
  }
}
