/**
 * Figure: the segmentation U-Net (ResNet-18 encoder, GroupNorm, nearest-upsampling decoder)
 * at 256x256x3 (RGB tiles, e.g. histology): train-step throughput (samples/s) at batch 4
 * and 8, and inference throughput (tiles/s) on a batch of 4 tiles, in two widths, on each
 * backend worth timing, vs the identical network in PyTorch on the CPU (2 threads,
 * app/cli/bench/peers/unet.py).
 *
 * - w16: widths [16, 32, 64, 128], decoder [64, 32, 16, 8, 4] (the default).
 * - w8: widths [8, 16, 32, 64], decoder [32, 16, 8, 4, 2].
 *
 * A train step is what a training loop does per batch: `tf.variableGrads` of BCE + soft
 * Dice (lib/segment/losses.ts), `AdamW.applyGradients` (lr 1e-3, weight decay 0.01), then
 * read the loss. Inference is `model.predict` of 4 tiles, then read the probabilities.
 * On the CPU backends the train step is also timed with `train.data_parallel` (each batch
 * split between this thread and a gradient worker, lib/train/data_parallel.ts) and inference
 * with `infer.data_parallel` (lib/segment/parallel_tiles.ts): the second core's share, as
 * the PyTorch peer uses two threads.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildUnet } from "../../../lib/segment/unet.ts";
import { bceDiceLoss } from "../../../lib/segment/losses.ts";
import { initBackend, Rng } from "../../../lib/runtime/mod.ts";
import { AdamW } from "../../../lib/train/adamw.ts";
import { benchDataParallel } from "./two_core.ts";
import { ParallelTiles } from "../../../lib/segment/parallel_tiles.ts";
import { createTileWorker } from "../tile_worker.ts";
import {
  type BenchFigure,
  type BenchRow,
  benchRow,
  PARALLEL_WARMUP,
  runPeer,
  timeMedian,
} from "./harness.ts";

const _SIZE = 256;
const _CHANNELS = 3;
const _TRAIN_BATCHES = [4, 8] as const;
const _FORWARD_BATCH = 4;

/** The two widths; the peer builds the same network from these numbers. */
const _WIDTHS = [
  { name: "w16", widths: [16, 32, 64, 128] },
  { name: "w8", widths: [8, 16, 32, 64] },
] as const;

/** Backends worth timing: the plain-JS cpu backend and software WebGPU take minutes. */
function _skipReason(backend: string, ctx: { softwareGpu: boolean }): string | null {
  if (backend === "cpu") return "tfjs cpu backend (plain JS) takes many seconds per step";
  if (backend === "webgpu" && ctx.softwareGpu) {
    return "software WebGPU adapter (CPU emulation) takes many seconds per step";
  }
  return null;
}

/** Images `[B, S, S, 3]` of unit normals and random 0/1 masks `[B, S, S, 1]` (30% foreground). */
function _batch(rng: Rng, batch: number): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const pixels = batch * _SIZE * _SIZE;
  const x = Float32Array.from({ length: pixels * _CHANNELS }, () => rng.normal());
  const y = Float32Array.from({ length: pixels }, () => (rng.float() < 0.3 ? 1 : 0));
  return {
    x: tf.tensor4d(x, [batch, _SIZE, _SIZE, _CHANNELS]),
    y: tf.tensor4d(y, [batch, _SIZE, _SIZE, 1]),
  };
}

/**
 * Median train-step seconds per batch size and forward seconds, on the current backend;
 * with `parallel`, the train steps split each batch with a gradient worker and the forward
 * passes each batch of tiles with a tile worker.
 */
async function _time(
  widths: readonly number[],
  repeats: number,
  options: { parallel?: boolean } = {},
): Promise<{ train: Record<number, number>; forward: number }> {
  const model = buildUnet({
    inputSize: _SIZE,
    inputChannels: _CHANNELS,
    widths,
    encoder: "resnet18",
    seed: 0,
  });
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new AdamW(params, { learningRate: 1e-3, weightDecay: 0.01 });
  const rng = new Rng(1);
  // The loss of the single-thread step (bceDiceLoss's default, a batch-wide Dice ratio);
  // split in two, that ratio becomes the mean of the halves' ratios: the same work.
  const parallel = options.parallel
    ? benchDataParallel(model, { kind: "mask", loss: "bce_dice", lossOptions: {} })
    : undefined;
  try {
    await parallel?.ready();
    const train: Record<number, number> = {};
    let step = 0;
    for (const batchSize of _TRAIN_BATCHES) {
      const batch = _batch(rng, batchSize);
      train[batchSize] = await timeMedian(async () => {
        const { value, grads } = parallel
          ? await parallel.compute({ x: batch.x, y: batch.y, targets: {} }, step++).then((r) => {
            tf.dispose(Object.values(r.perTask));
            return r;
          })
          : tf.variableGrads(() => {
            const pred = model.apply(batch.x, { training: true }) as tf.Tensor; // [B, S, S, 1]
            return bceDiceLoss(pred, batch.y);
          }, params);
        optimizer.applyGradients(grads);
        await value.data(); // sync point, as the training loop's log read
        tf.dispose([value, ...Object.values(grads)]);
      }, { warmup: parallel ? PARALLEL_WARMUP : 1, repeats });
      tf.dispose([batch.x, batch.y]);
    }
    const tiles = _batch(rng, _FORWARD_BATCH);
    // Two threads for inference: half of the tiles in a tile worker (infer.data_parallel).
    const tileSplit = options.parallel
      ? new ParallelTiles({ model, createWorker: createTileWorker, backend: "wasm" })
      : undefined;
    try {
      await tileSplit?.ready();
      const forward = await timeMedian(async () => {
        const out = tileSplit
          ? await tileSplit.probability(tiles.x)
          : model.predict(tiles.x) as tf.Tensor;
        await out.data();
        out.dispose();
      }, { warmup: tileSplit ? PARALLEL_WARMUP : 1, repeats });
      return { train, forward };
    } finally {
      tileSplit?.dispose();
      tf.dispose([tiles.x, tiles.y]);
    }
  } finally {
    parallel?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

export const unetFigure: BenchFigure = {
  name: "unet",
  description: "U-Net resnet18 (GroupNorm, upsample decoder) 256x256x3: train step at batch " +
    "4 and 8 (samples/s) and inference of 4 tiles (tiles/s), two widths, vs PyTorch",
  async run(ctx) {
    const repeats = ctx.quick ? 2 : 5;
    const rows: BenchRow[] = [];
    for (const size of _WIDTHS) {
      ctx.log(`unet ${size.name}: PyTorch peer`);
      const peer = await runPeer("unet.py", {
        size: _SIZE,
        channels: _CHANNELS,
        repeats,
        threads: 2,
        encoder: "resnet18",
        widths: size.widths,
        decoder: "upsample",
        train_batches: _TRAIN_BATCHES,
        forward_batch: _FORWARD_BATCH,
      });
      const peerName = peer.ok ? String(peer.value.version) : "PyTorch CPU";
      const peerNote = peer.ok ? undefined : peer.note;
      for (const backend of ctx.backends) {
        const skip = _skipReason(backend, { softwareGpu: /software/.test(ctx.machine) });
        if (skip !== null) {
          ctx.log(`unet ${size.name}: ${backend} skipped (${skip})`);
          continue;
        }
        ctx.log(`unet ${size.name}: ${backend}`);
        await initBackend({ backend: backend as "wasm" | "webgpu" });
        const seconds = await _time(size.widths, repeats);
        const parallel = backend === "webgpu"
          ? null
          : await _time(size.widths, repeats, { parallel: true });
        for (
          const [kind, train] of [
            ["train", seconds.train],
            ...(parallel ? [["train_parallel", parallel.train] as const] : []),
          ] as const
        ) {
          for (const batch of _TRAIN_BATCHES) {
            const peerSeconds = peer.ok ? Number(peer.value[`train_seconds_b${batch}`]) : null;
            rows.push(benchRow({
              name: `unet_${size.name}_${kind}_b${batch}_${backend}`,
              unit: "samples/s",
              value: batch / train[batch],
              peer: peerName,
              peerValue: peerSeconds === null ? null : batch / peerSeconds,
              backend,
              machine: ctx.machine,
              notes: [
                peerNote,
                kind === "train_parallel"
                  ? "train.data_parallel: each batch split between the main thread and one worker"
                  : undefined,
              ],
            }));
          }
        }
        for (
          const [kind, forward] of [
            ["forward", seconds.forward],
            ...(parallel ? [["forward_parallel", parallel.forward] as const] : []),
          ] as const
        ) {
          rows.push(benchRow({
            name: `unet_${size.name}_${kind}_b${_FORWARD_BATCH}_${backend}`,
            unit: "tiles/s",
            value: _FORWARD_BATCH / forward,
            peer: peerName,
            peerValue: peer.ok ? _FORWARD_BATCH / Number(peer.value.forward_seconds) : null,
            backend,
            machine: ctx.machine,
            notes: [
              peerNote,
              kind === "forward_parallel"
                ? "infer.data_parallel: each batch of tiles split between the main thread and one worker"
                : undefined,
            ],
          }));
        }
      }
    }
    return rows;
  },
};
