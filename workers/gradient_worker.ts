/**
 * Worker (module) that computes the gradients of one shard of a batch behind comlink, for
 * lib/train/data_parallel.ts: the main thread sends the model's topology and the shard
 * objective (multi-task or mask loss) once, then per step the current weights and the
 * shard's rows (inputs, and masks for the mask loss), and gets the shard's loss and
 * gradients back (their buffers transferred).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { expose, transfer } from "comlink";
import "../lib/nn/mod.ts"; // registers GroupNorm and SeededDropout for modelFromJSON
import "../lib/segment/unet.ts"; // registers the U-Net's UpsampleNearest2x
import { initBackend } from "../lib/runtime/backend.ts";
import { detectHost } from "../lib/runtime/capabilities.ts";
import {
  type GradientWorkerApi,
  type Shard,
  shardGradients,
  type ShardObjective,
} from "../lib/train/data_parallel.ts";

/** In the browser bundle the wasm binaries sit next to this worker's file. */
const _WASM_PATHS = detectHost().host === "browser"
  ? new URL("./", import.meta.url).href
  : undefined;

let _state: { model: tf.LayersModel; objective: ShardObjective } | undefined;

const api: GradientWorkerApi = {
  async init(topology, objective, backend) {
    const report = await initBackend({ backend, wasmPaths: _WASM_PATHS });
    _state?.model.dispose();
    const model = await tf.models.modelFromJSON(topology as tf.io.ModelJSON);
    _state = { model, objective };
    return { backend: report.backend, shapes: model.trainableWeights.map((w) => w.read().shape) };
  },

  gradients(weights, shard, context) {
    if (_state === undefined) {
      throw new Error("Cannot compute gradients as the worker must be initialised first (init)");
    }
    const { model, objective } = _state;
    const variables = model.trainableWeights;
    if (weights.length !== variables.length) {
      throw new RangeError(
        `Cannot set the weights as there must be ${variables.length} of them: current ` +
          `count is ${weights.length}`,
      );
    }
    tf.tidy(() => variables.forEach((v, i) => v.write(tf.tensor(weights[i], v.read().shape))));
    const rows: Shard = {
      x: tf.tensor(shard.x, shard.xShape),
      y: shard.y && tf.tensor(shard.y, shard.yShape),
      targets: shard.targets,
    };
    let result;
    try {
      result = shardGradients(model, rows, { ...context, objective });
    } finally {
      tf.dispose([rows.x, ...(rows.y ? [rows.y] : [])]);
    }
    const { value, grads, perTask } = result;
    const out = {
      loss: value.dataSync()[0],
      perTask: Object.fromEntries(
        Object.entries(perTask).map(([name, s]) => [name, s.dataSync()[0]]),
      ),
      grads: grads.map((g) => (g.dataSync() as Float32Array).slice()),
    };
    tf.dispose([value, ...grads, ...Object.values(perTask)]);
    return Promise.resolve(transfer(out, out.grads.map((g) => g.buffer)));
  },
};

expose(api);
