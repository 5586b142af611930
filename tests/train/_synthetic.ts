/** Test support: a tiny synthetic two-task problem and a small classifier for it. */
import * as tf from "@tensorflow/tfjs";
import {
  buildClassifier,
  type ClassifierTrainConfig,
  CLASSIFY_SCHEMA,
} from "../../lib/classify/mod.ts";
import { schemaDefaults } from "../../lib/config/mod.ts";
import type { LabelSpec } from "../../lib/data/mod.ts";
import { Rng } from "../../lib/runtime/mod.ts";
import { type BatchSource, tensorBatchSource } from "../../lib/train/mod.ts";

export const TASKS: LabelSpec[] = [
  {
    name: "bright",
    kind: "classification",
    classes: ["dark", "bright"],
    column: "b",
    description: "",
  },
  { name: "level", kind: "regression", column: "level", description: "Mean brightness x 100" },
];

/** Images [n, 8, 8, 1] of noise whose mean is 0.5 higher for class 1; ~1 in 8 labels missing. */
export function syntheticData(n: number, seed: number): { x: tf.Tensor; source: BatchSource } {
  const rng = new Rng(seed);
  const bright: number[] = [];
  const level: number[] = [];
  const values = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const mean = label * 0.5 + (rng.float() - 0.5) * 0.2;
    for (let p = 0; p < 64; p++) values[i * 64 + p] = mean + rng.normal() * 0.5;
    bright.push(i % 8 === 5 ? -1 : label);
    level.push(i % 8 === 6 ? NaN : mean * 100 + 20);
  }
  const x = tf.tensor4d(values, [n, 8, 8, 1]);
  return { x, source: tensorBatchSource(x, { bright, level }) };
}

/** A small cnn_light for [8, 8, 1] inputs. */
export function smallClassifier(seed = 1): tf.LayersModel {
  return buildClassifier({
    backbone: "cnn_light",
    inputShape: [8, 8, 1],
    tasks: TASKS,
    seed,
    channels: 4,
    depth: 1,
    layerRepeats: 1,
    embedding: 8,
    dropout: 0.1,
  });
}

/** The default train config with test-sized overrides. */
export function trainConfig(overrides: Partial<ClassifierTrainConfig> = {}): ClassifierTrainConfig {
  return {
    ...schemaDefaults(CLASSIFY_SCHEMA).train,
    batch_size: 8,
    eval_batch_size: 16,
    warmup_steps: 2,
    lr: 5e-3,
    log_steps: 1,
    ...overrides,
  };
}

/** Every weight of a model, flattened in order. */
export async function flatWeights(model: tf.LayersModel): Promise<number[]> {
  const parts = await Promise.all(model.getWeights().map((w) => w.data()));
  return parts.flatMap((p) => Array.from(p));
}
