/**
 * Figure: training and inference throughput (samples/s) of the cnn_light classifier at
 * 256x256x1, batch 32, in the two sizes the configs use, on each backend worth timing, vs
 * the identical architecture in PyTorch on the CPU (2 threads).
 *
 * - demo (config/classification/demo.toml): channels 8, depth 2, layer_repeats 1,
 *   embedding 32, dropout 0.1, row pooling, one 2-class task.
 * - math_state (config/classification/math-state.toml): channels 8, depth 3,
 *   layer_repeats 1, embedding 64, dropout 0.3, row pooling, one 2-class task.
 *
 * A train step is what lib/train/train_model.ts does per batch: set the dropout step,
 * `tf.variableGrads` of `multiTaskLoss`, `AdamW.applyGradients`, then read the loss.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LabelSpec } from "../../../lib/data/labels.ts";
import { buildClassifier } from "../../../lib/classify/build_classifier.ts";
import { multiTaskLoss } from "../../../lib/classify/losses.ts";
import { setDropoutStep } from "../../../lib/nn/seeded_dropout.ts";
import { initBackend, Rng } from "../../../lib/runtime/mod.ts";
import { AdamW } from "../../../lib/train/adamw.ts";
import {
  type BenchFigure,
  type BenchRow,
  benchRow,
  PARALLEL_WARMUP,
  runPeer,
  timeMedian,
} from "./harness.ts";
import { benchDataParallel } from "./two_core.ts";

const _BATCH = 32;
const _SIZE = 256;
const _TASKS: LabelSpec[] = [
  { name: "task_state", kind: "classification", classes: ["a", "b"], column: "s", description: "" },
];

/** The model sizes of the two configs; the peer builds the same from these numbers. */
const _SIZES = [
  { name: "demo", channels: 8, depth: 2, layerRepeats: 1, embedding: 32, dropout: 0.1 },
  { name: "math_state", channels: 8, depth: 3, layerRepeats: 1, embedding: 64, dropout: 0.3 },
] as const;

/** Backends worth timing: the plain-JS cpu backend and software WebGPU take minutes a step. */
function _skipReason(backend: string, ctx: { softwareGpu: boolean }): string | null {
  if (backend === "cpu") return "tfjs cpu backend (plain JS) takes minutes per step";
  if (backend === "webgpu" && ctx.softwareGpu) {
    return "software WebGPU adapter (CPU emulation) takes minutes per step";
  }
  return null;
}

/** Micro-batches per train step of batch 32 on `backend` (see {@linkcode _time}). */
function _microBatches(backend: string): number {
  return backend === "wasm" ? 2 : 1;
}

/** Median train-step and forward seconds of one model size on the current backend. */
async function _time(
  size: (typeof _SIZES)[number],
  repeats: number,
  options: { parallel?: boolean } = {},
): Promise<{ train: number; forward: number }> {
  const model = buildClassifier({
    backbone: "cnn_light",
    inputShape: [_SIZE, _SIZE, 1],
    channels: size.channels,
    depth: size.depth,
    layerRepeats: size.layerRepeats,
    embedding: size.embedding,
    dropout: size.dropout,
    pooling: "rows",
    tasks: _TASKS,
    seed: 0,
  });
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new AdamW(params, { learningRate: 2e-3, weightDecay: 0.009 });
  const rng = new Rng(1);
  const x = tf.tensor4d(
    Float32Array.from({ length: _BATCH * _SIZE * _SIZE }, () => rng.normal()),
    [_BATCH, _SIZE, _SIZE, 1],
  );
  const targets = { task_state: Array.from({ length: _BATCH }, (_, i) => i % 2) };
  // Micro-batches of the train step: wasm's 4 GiB heap cannot hold a batch of 32 at this
  // size (measured peak heap: 2.3 GiB at 16, 3.5 GiB at 24; 32 aborts), so there the step
  // averages the gradients of two halves (GroupNorm is per example, so this is the
  // full-batch gradient up to dropout masks) before one AdamW update.
  const micro = _microBatches(tf.getBackend());
  const parts = micro === 1 ? [x] : tf.split(x, micro, 0);
  const partTargets = Array.from({ length: micro }, (_, i) => ({
    task_state: targets.task_state.slice(i * _BATCH / micro, (i + 1) * _BATCH / micro),
  }));
  let step = 0;
  // Data-parallel rows: each micro-batch is split again between this thread and a gradient
  // worker (train.data_parallel), the second core's share.
  const parallel = options.parallel
    ? benchDataParallel(model, { kind: "multi_task", tasks: _TASKS, lossOptions: {} })
    : undefined;
  await parallel?.ready();
  try {
    const train = await timeMedian(async () => {
      setDropoutStep(model, step);
      let sum: tf.NamedTensorMap = {};
      let lastLoss: tf.Scalar | null = null;
      for (const [i, part] of parts.entries()) {
        const { value, grads } = parallel
          ? await parallel.compute({ x: part, targets: partTargets[i] }, step).then((r) => {
            tf.dispose(Object.values(r.perTask));
            return r;
          })
          : tf.variableGrads(() => {
            const out = model.apply(part, { training: true }) as tf.Tensor | tf.Tensor[];
            const outputs = Array.isArray(out) ? out : [out];
            const { total, perTask } = multiTaskLoss(outputs, partTargets[i], _TASKS);
            tf.dispose(Object.values(perTask));
            return total;
          }, params);
        const next = tf.tidy(() =>
          Object.fromEntries(
            Object.entries(grads).map(([name, g]) => [
              name,
              i === 0 ? g.div(micro) : sum[name].add(g.div(micro)),
            ]),
          )
        );
        tf.dispose([
          ...Object.values(grads),
          ...Object.values(sum),
          ...(lastLoss ? [lastLoss] : []),
        ]);
        sum = next;
        lastLoss = value;
      }
      step++;
      optimizer.applyGradients(sum);
      await lastLoss!.data(); // GPU-CPU sync point, as the training loop's log read
      tf.dispose([lastLoss!, ...Object.values(sum)]);
    }, { warmup: parallel ? PARALLEL_WARMUP : 1, repeats });
    const forward = await timeMedian(async () => {
      const out = model.predict(x) as tf.Tensor;
      await out.data();
      out.dispose();
    }, { warmup: 1, repeats });
    return { train, forward };
  } finally {
    parallel?.dispose();
    if (micro > 1) tf.dispose(parts);
    x.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

function _notes(
  kind: string,
  backend: string,
  peer: Awaited<ReturnType<typeof runPeer>>,
): string[] {
  const notes: string[] = [];
  if (kind === "train_parallel") {
    notes.push("train.data_parallel: each batch split between the main thread and one worker");
  }
  if (kind.startsWith("train") && _microBatches(backend) > 1) {
    notes.push(
      `batch 32 as ${_microBatches(backend)} accumulated micro-batches (wasm's 4 GiB heap ` +
        "cannot hold the batch-32 backward pass)",
    );
  }
  if (!peer.ok) notes.push(peer.note);
  return notes;
}

export const cnnLightFigure: BenchFigure = {
  name: "cnn_light",
  description:
    "cnn_light classifier (demo and math-state sizes) 256x256x1 batch 32: train step and " +
    "forward, samples/s, vs PyTorch",
  async run(ctx) {
    const repeats = ctx.quick ? 2 : 5;
    const rows: BenchRow[] = [];
    for (const size of _SIZES) {
      ctx.log(`cnn_light ${size.name}: PyTorch peer`);
      const peer = await runPeer("cnn_light.py", {
        batch: _BATCH,
        size: _SIZE,
        repeats,
        threads: 2,
        channels: size.channels,
        depth: size.depth,
        layer_repeats: size.layerRepeats,
        embedding: size.embedding,
        dropout: size.dropout,
        classes: 2,
      });
      const peerName = peer.ok ? String(peer.value.version) : "PyTorch CPU";
      for (const backend of ctx.backends) {
        const skip = _skipReason(backend, { softwareGpu: /software/.test(ctx.machine) });
        if (skip !== null) {
          ctx.log(`cnn_light ${size.name}: ${backend} skipped (${skip})`);
          continue;
        }
        ctx.log(`cnn_light ${size.name}: ${backend}`);
        await initBackend({ backend: backend as "wasm" | "webgpu" });
        const seconds = await _time(size, repeats);
        const parallel = backend === "webgpu"
          ? null
          : await _time(size, repeats, { parallel: true });
        for (
          const [kind, ours, key] of [
            ["train", seconds.train, "train_seconds"],
            ...(parallel ? [["train_parallel", parallel.train, "train_seconds"] as const] : []),
            ["forward", seconds.forward, "forward_seconds"],
          ] as const
        ) {
          const value = _BATCH / ours;
          const peerValue = peer.ok ? _BATCH / Number(peer.value[key]) : null;
          rows.push(benchRow({
            name: `cnn_light_${size.name}_${kind}_${backend}`,
            unit: "samples/s",
            value,
            peer: peerName,
            peerValue,
            backend,
            machine: ctx.machine,
            notes: _notes(kind, backend, peer),
          }));
        }
      }
    }
    return rows;
  },
};
