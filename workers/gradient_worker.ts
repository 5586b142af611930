/**
 * Worker (module) that computes the gradients of one shard of a batch behind comlink, for
 * lib/train/data_parallel.ts: the main thread sends the model's topology once, then per
 * step the current weights and the shard's rows, and gets the shard's loss and gradients
 * back (their buffers transferred).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { expose, transfer } from "comlink";
import type { MultiTaskLossOptions } from "../lib/classify/losses.ts";
import type { LabelSpec } from "../lib/data/labels.ts";
import "../lib/nn/mod.ts"; // registers GroupNorm and SeededDropout for modelFromJSON
import { initBackend } from "../lib/runtime/backend.ts";
import { detectHost } from "../lib/runtime/capabilities.ts";
import { type GradientWorkerApi, shardGradients } from "../lib/train/data_parallel.ts";

/** In the browser bundle the wasm binaries sit next to this worker's file. */
const _WASM_PATHS = detectHost().host === "browser"
  ? new URL("./", import.meta.url).href
  : undefined;

let _state:
  | { model: tf.LayersModel; lossOptions: MultiTaskLossOptions; tasks: LabelSpec[] }
  | undefined;

const api: GradientWorkerApi = {
  async init(topology, lossOptions, tasks, backend) {
    const report = await initBackend({ backend, wasmPaths: _WASM_PATHS });
    _state?.model.dispose();
    const model = await tf.models.modelFromJSON(topology as tf.io.ModelJSON);
    _state = { model, lossOptions, tasks };
    return { backend: report.backend, shapes: model.trainableWeights.map((w) => w.read().shape) };
  },

  gradients(weights, x, xShape, targets, step, batchCounts) {
    if (_state === undefined) {
      throw new Error("Cannot compute gradients as the worker must be initialised first (init)");
    }
    const { model, lossOptions, tasks } = _state;
    const variables = model.trainableWeights;
    if (weights.length !== variables.length) {
      throw new RangeError(
        `Cannot set the weights as there must be ${variables.length} of them: current ` +
          `count is ${weights.length}`,
      );
    }
    tf.tidy(() => variables.forEach((v, i) => v.write(tf.tensor(weights[i], v.read().shape))));
    const input = tf.tensor(x, xShape);
    let result;
    try {
      result = shardGradients(model, input, targets, tasks, lossOptions, batchCounts, step);
    } finally {
      input.dispose();
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
