/**
 * Figure: the 3-conv-layer net of PLATFORM.md (256x256x1, batch 16), train-step and
 * forward throughput in samples/s on each backend, vs the same net in PyTorch on the CPU.
 * The train step is Adam (our AdamW, weight decay 0) on the cross-entropy of the net's softmax (the peer's
 * CrossEntropyLoss of its logits is the same function). On the CPU backends it is also
 * timed with `train.data_parallel` (lib/train/data_parallel.ts: each batch split between
 * this thread and a gradient worker), the second core's share, as the peer uses two threads.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LabelSpec } from "../../../lib/data/labels.ts";
import { multiTaskLoss } from "../../../lib/classify/losses.ts";
import { initBackend } from "../../../lib/runtime/mod.ts";
import { AdamW } from "../../../lib/train/adamw.ts";
import { benchDataParallel } from "./two_core.ts";
import {
  type BenchFigure,
  type BenchRow,
  benchRow,
  PARALLEL_WARMUP,
  runPeer,
  timeMedian,
} from "./harness.ts";

const _BATCH = 16;
const _SIZE = 256;
/** The net's one output, as a classification task of the multi-task loss. */
const _TASKS: LabelSpec[] = [
  { name: "state", kind: "classification", classes: ["a", "b"], column: "s", description: "" },
];

/** The net, as a functional model so its one output carries the task's name. */
function _model(): tf.LayersModel {
  const conv = (filters: number) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu" });
  const input = tf.input({ shape: [_SIZE, _SIZE, 1] });
  let y = input as tf.SymbolicTensor;
  for (const layer of [conv(16), conv(32), conv(32), tf.layers.globalAveragePooling2d({})]) {
    y = layer.apply(y) as tf.SymbolicTensor;
  }
  const output = tf.layers.dense({ units: 2, activation: "softmax", name: "state" }).apply(y);
  return tf.model({ inputs: input, outputs: output as tf.SymbolicTensor });
}

/** Backends worth timing: the plain-JS cpu backend and software WebGPU take minutes a step. */
function _skipReason(backend: string, ctx: { softwareGpu: boolean }): string | null {
  if (backend === "cpu") return "tfjs cpu backend (plain JS) takes minutes per step";
  if (backend === "webgpu" && ctx.softwareGpu) {
    return "software WebGPU adapter (CPU emulation) takes over a minute per step";
  }
  return null;
}

/** Median seconds of an Adam train step, on this thread or split with a gradient worker. */
async function _trainSeconds(
  model: tf.LayersModel,
  x: tf.Tensor,
  targets: Record<string, number[]>,
  repeats: number,
  options: { parallel?: boolean } = {},
): Promise<number> {
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // AdamW without weight decay is Adam (the peer's optimiser).
  const optimizer = new AdamW(params, { learningRate: 1e-3, weightDecay: 0 });
  const parallel = options.parallel
    ? benchDataParallel(model, { kind: "multi_task", tasks: _TASKS, lossOptions: {} })
    : undefined;
  try {
    await parallel?.ready();
    let step = 0;
    return await timeMedian(async () => {
      const { value, grads } = parallel
        ? await parallel.compute({ x, targets }, step++).then((r) => {
          tf.dispose(Object.values(r.perTask));
          return r;
        })
        : tf.variableGrads(() => {
          const { total, perTask } = multiTaskLoss([model.apply(x) as tf.Tensor], targets, _TASKS);
          tf.dispose(Object.values(perTask));
          return total;
        }, params);
      optimizer.applyGradients(grads);
      await value.data(); // GPU-CPU sync point
      tf.dispose([value, ...Object.values(grads)]);
    }, { warmup: parallel ? PARALLEL_WARMUP : 1, repeats });
  } finally {
    parallel?.dispose();
    optimizer.dispose();
  }
}

export const conv3Figure: BenchFigure = {
  name: "conv3",
  description: "3-conv-layer net 256x256x1 batch 16: train step and forward, samples/s, vs PyTorch",
  async run(ctx) {
    const repeats = ctx.quick ? 2 : 5;
    ctx.log("conv3: PyTorch peer");
    const peer = await runPeer("conv3.py", { batch: _BATCH, size: _SIZE, repeats, threads: 2 });
    const peerName = peer.ok ? String(peer.value.version) : "PyTorch CPU";
    const rows: BenchRow[] = [];
    for (const backend of ctx.backends) {
      const skip = _skipReason(backend, { softwareGpu: /software/.test(ctx.machine) });
      if (skip !== null) {
        ctx.log(`conv3: ${backend} skipped (${skip})`);
        continue;
      }
      ctx.log(`conv3: ${backend}`);
      await initBackend({ backend: backend as "wasm" | "webgpu" });
      const model = _model();
      const x = tf.randomNormal([_BATCH, _SIZE, _SIZE, 1], 0, 1, "float32", 1);
      const targets = { state: Array.from({ length: _BATCH }, (_, i) => (i * 7) % 2) };
      const trainSeconds = await _trainSeconds(model, x, targets, repeats);
      const parallelSeconds = backend === "webgpu"
        ? null
        : await _trainSeconds(model, x, targets, repeats, { parallel: true });
      const forwardSeconds = await timeMedian(async () => {
        const out = model.predict(x) as tf.Tensor;
        await out.data();
        out.dispose();
      }, { warmup: 1, repeats });
      x.dispose();
      model.dispose();
      for (
        const [kind, seconds, key] of [
          ["train", trainSeconds, "train_seconds"],
          ...(parallelSeconds === null
            ? []
            : [["train_parallel", parallelSeconds, "train_seconds"] as const]),
          ["forward", forwardSeconds, "forward_seconds"],
        ] as const
      ) {
        const value = _BATCH / seconds;
        const peerValue = peer.ok ? _BATCH / Number(peer.value[key]) : null;
        rows.push(benchRow({
          name: `conv3_${kind}_${backend}`,
          unit: "samples/s",
          value,
          peer: peerName,
          peerValue,
          backend,
          machine: ctx.machine,
          notes: [
            peer.ok ? undefined : peer.note,
            kind === "train_parallel"
              ? "train.data_parallel: each batch split between the main thread and one worker"
              : undefined,
          ],
        }));
      }
    }
    return rows;
  },
};
