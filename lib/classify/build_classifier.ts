/**
 * The multi-task classifier: one shared trunk and one head per task, each head a named
 * output of the model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { assertLabelSpec, labelOutputSize, type LabelSpec } from "../data/labels.ts";
import { Rng } from "../runtime/rng.ts";
import {
  type Backbone,
  BACKBONES,
  BLOCK_ACTIVATIONS,
  type BlockActivation,
  buildBackbone,
  type Pooling,
} from "./backbone.ts";

/** Options of {@linkcode buildClassifier}. */
export interface ClassifierOptions {
  /** "cnn_light" for images `[H, W, C]`, "cnn_1d" for windows `[channels, samples]`. */
  backbone: Backbone;
  /** One example's shape, without the batch. */
  inputShape: number[];
  /** Width of each head's first dense layer (the second has twice as many). Default 384. */
  embedding?: number;
  /** Blocks after the stem. Default 3. */
  depth?: number;
  /** Convolutions per block. Default 3. */
  layerRepeats?: number;
  /** Dropout rate in the trunk. Default 0.43. */
  dropout?: number;
  /** Activation of the block convolutions. Default "gelu". */
  activation?: BlockActivation;
  /** Filters of the stem convolution; block i has `channels * 2^i`. Default 16. */
  channels?: number;
  /** Trunk pooling: "global" (the original) or "rows" (keeps frequency rows). Default "global". */
  pooling?: Pooling;
  /** The tasks, in output order. */
  tasks: LabelSpec[];
  /** Seed of every initialiser and dropout mask: equal seeds give equal models. */
  seed: number;
}

/**
 * Builds the classifier. Each task's head is Dense(embedding) -> Dense(2 * embedding) ->
 * GELU -> Dense(outputs); a classification head ends in a softmax over its classes, a
 * regression head in one linear unit (trained on the standardised target). The head's last
 * layer, and so the model output, is named after the task; `model.outputNames` lists them
 * in task order.
 *
 * GELU is tfjs-layers' built-in "gelu", the exact form x·Φ(x) = x/2·(1 + erf(x/√2)).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildClassifier } from "./build_classifier.ts";
 * const model = buildClassifier({
 *   backbone: "cnn_light", inputShape: [16, 16, 1], embedding: 8, depth: 1, layerRepeats: 1,
 *   channels: 4, seed: 1,
 *   tasks: [
 *     { name: "gender", kind: "classification", classes: ["F", "M"], column: "gender", description: "" },
 *     { name: "age", kind: "regression", column: "age", description: "" },
 *   ],
 * });
 * console.assert(model.outputNames.join() === "gender,age");
 * const [gender, age] = model.predict(tf.zeros([3, 16, 16, 1])) as tf.Tensor[];
 * console.assert(gender.shape.join() === "3,2" && age.shape.join() === "3,1");
 * tf.dispose([gender, age]);
 * model.dispose();
 * ```
 */
export function buildClassifier(options: ClassifierOptions): tf.LayersModel {
  const {
    backbone,
    inputShape,
    tasks,
    seed,
    embedding = 384,
    depth = 3,
    layerRepeats = 3,
    dropout = 0.43,
    activation = "gelu",
    channels = 16,
  } = options;
  if (!BACKBONES.includes(backbone)) {
    throw new RangeError(
      `Cannot build a classifier as backbone must be one of ${BACKBONES.join(", ")}: current ` +
        `value is ${JSON.stringify(backbone)}`,
    );
  }
  if (!BLOCK_ACTIVATIONS.includes(activation)) {
    throw new RangeError(
      `Cannot build a classifier as activation must be one of ${BLOCK_ACTIVATIONS.join(", ")}: ` +
        `current value is ${JSON.stringify(activation)}`,
    );
  }
  for (
    const [name, value, min] of [
      ["embedding", embedding, 1],
      ["depth", depth, 0],
      ["layerRepeats", layerRepeats, 1],
      ["channels", channels, 1],
    ] as const
  ) {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(
        `Cannot build a classifier as ${name} must be an integer >= ${min}: current value is ${value}`,
      );
    }
  }
  if (!(dropout >= 0 && dropout < 1)) {
    throw new RangeError(
      `Cannot build a classifier as dropout must be in [0, 1): current value is ${dropout}`,
    );
  }
  if (tasks.length === 0) {
    throw new RangeError(
      "Cannot build a classifier as it needs at least one task: current value is []",
    );
  }
  const names = new Set<string>();
  for (const task of tasks) {
    assertLabelSpec(task);
    if (names.has(task.name)) {
      throw new RangeError(
        `Cannot build a classifier as task names must be unique: current value has ` +
          `"${task.name}" twice`,
      );
    }
    names.add(task.name);
  }

  const rng = new Rng(seed);
  const input = tf.input({ shape: inputShape, name: "input" });
  const features = buildBackbone(input, {
    backbone,
    channels,
    depth,
    layerRepeats,
    dropout,
    activation,
    pooling: options.pooling ?? "global",
    rng: rng.fork("backbone"),
  }); // [B, F]
  const outputs = tasks.map((task) =>
    _head(features, task, embedding, rng.fork(`head:${task.name}`))
  );
  return tf.model({ inputs: input, outputs, name: "classifier" });
}

function _head(
  features: tf.SymbolicTensor,
  task: LabelSpec,
  embedding: number,
  rng: Rng,
): tf.SymbolicTensor {
  const dense = (name: string, units: number, activation: "linear" | "gelu" | "softmax") =>
    tf.layers.dense({
      name,
      units,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }),
      biasInitializer: "zeros",
    });
  let x = dense(`${task.name}_embed`, embedding, "linear").apply(features); // [B, E]
  x = dense(`${task.name}_expand`, 2 * embedding, "gelu").apply(x); // [B, 2E]
  const out = task.kind === "classification" ? "softmax" : "linear";
  return dense(task.name, labelOutputSize(task), out).apply(x) as tf.SymbolicTensor; // [B, K]
}
