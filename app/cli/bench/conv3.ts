/**
 * Figure: the 3-conv-layer net of PLATFORM.md (256x256x1, batch 16), train-step and
 * forward throughput in samples/s on each backend, vs the same net in PyTorch on the CPU.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/runtime/mod.ts";
import { type BenchFigure, type BenchRow, benchRow, runPeer, timeMedian } from "./harness.ts";

const _BATCH = 16;
const _SIZE = 256;

function _model(): tf.Sequential {
  const conv = (filters: number, inputShape?: number[]) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", inputShape });
  return tf.sequential({
    layers: [
      conv(16, [_SIZE, _SIZE, 1]),
      conv(32),
      conv(32),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 2 }),
    ],
  });
}

/** Backends worth timing: the plain-JS cpu backend and software WebGPU take minutes a step. */
function _skipReason(backend: string, ctx: { softwareGpu: boolean }): string | null {
  if (backend === "cpu") return "tfjs cpu backend (plain JS) takes minutes per step";
  if (backend === "webgpu" && ctx.softwareGpu) {
    return "software WebGPU adapter (CPU emulation) takes over a minute per step";
  }
  return null;
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
      const optimizer = tf.train.adam(1e-3);
      const x = tf.randomNormal([_BATCH, _SIZE, _SIZE, 1], 0, 1, "float32", 1);
      const y = tf.oneHot(tf.randomUniform([_BATCH], 0, 2, "int32", 2), 2);
      const trainSeconds = await timeMedian(async () => {
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor) as tf.Scalar,
          true,
        )!;
        await loss.data(); // GPU-CPU sync point
        loss.dispose();
      }, { warmup: 1, repeats });
      const forwardSeconds = await timeMedian(async () => {
        const out = model.predict(x) as tf.Tensor;
        await out.data();
        out.dispose();
      }, { warmup: 1, repeats });
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
      for (
        const [kind, seconds, key] of [
          ["train", trainSeconds, "train_seconds"],
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
          notes: [peer.ok ? undefined : peer.note],
        }));
      }
    }
    return rows;
  },
};
