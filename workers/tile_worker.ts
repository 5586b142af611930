/**
 * Worker (module) that predicts tile probabilities behind comlink, for
 * lib/segment/parallel_tiles.ts: the main thread sends the model's topology and weights
 * once, then per batch the worker's half of the tiles, and gets their foreground
 * probabilities back (the buffer transferred).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { expose, transfer } from "comlink";
import "../lib/nn/mod.ts"; // registers GroupNorm and InputConv2D for modelFromJSON
import "../lib/segment/unet.ts"; // registers the U-Net's UpsampleNearest2x
import { initBackend } from "../lib/runtime/backend.ts";
import { detectHost } from "../lib/runtime/capabilities.ts";
import type { TileWorkerApi } from "../lib/segment/parallel_tiles.ts";
import { tileProbability } from "../lib/segment/segment_image.ts";

/** In the browser bundle the wasm binaries sit next to this worker's file. */
const _WASM_PATHS = detectHost().host === "browser"
  ? new URL("./", import.meta.url).href
  : undefined;

let _model: tf.LayersModel | undefined;

const api: TileWorkerApi = {
  async init(topology, weights, backend) {
    const report = await initBackend({ backend, wasmPaths: _WASM_PATHS });
    _model?.dispose();
    const model = await tf.models.modelFromJSON(topology as tf.io.ModelJSON);
    const current = model.getWeights();
    if (weights.length !== current.length) {
      model.dispose();
      throw new RangeError(
        `Cannot set the weights as there must be ${current.length} of them: current count ` +
          `is ${weights.length}`,
      );
    }
    const tensors = weights.map((w, i) => tf.tensor(w, current[i].shape));
    model.setWeights(tensors); // copies the values
    tf.dispose(tensors);
    _model = model;
    return report.backend;
  },

  probability(tiles, shape, flips) {
    if (_model === undefined) {
      throw new Error("Cannot predict tiles as the worker must be initialised first (init)");
    }
    const model = _model;
    const out = tf.tidy(() => {
      const x = tf.tensor4d(tiles, shape as [number, number, number, number]);
      return tileProbability(model, x, { flips });
    });
    const values = (out.dataSync() as Float32Array).slice();
    out.dispose();
    return Promise.resolve(transfer(values, [values.buffer]));
  },
};

expose(api);
