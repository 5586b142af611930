/**
 * Figure: whole-field inference of one 2448x2048 RGB field (fields/s) with the default
 * glomeruli U-Net (resnet18, widths [16, 32, 64, 128], GroupNorm, 3 channels): ImageNet
 * normalisation, 20 tiles of 512 px resized to 256, forward in batches of 4, resized back
 * and max-merged (lib/segment/segment_field.ts), vs the same steps and network in PyTorch
 * (app/cli/bench/peers/unet_field.py). Weights are random: the time does not depend on them.
 * On the CPU backends also with `infer.data_parallel` (lib/segment/parallel_tiles.ts: each
 * batch of tiles split between this thread and a tile worker), as `deno task segment` runs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildUnet } from "../../../lib/segment/unet.ts";
import { IMAGENET_NORMALIZATION, normalizeImage } from "../../../lib/image/normalization.ts";
import { segmentField } from "../../../lib/segment/segment_field.ts";
import { initBackend, Rng } from "../../../lib/runtime/mod.ts";
import { ParallelTiles } from "../../../lib/segment/parallel_tiles.ts";
import { createTileWorker } from "../tile_worker.ts";
import { type BenchFigure, type BenchRow, benchRow, runPeer, timeMedian } from "./harness.ts";

const _FIELD = { width: 2448, height: 2048 };
const _SETTINGS = { tile: 512, inputSize: 256, batchSize: 4 };
const _WIDTHS = [16, 32, 64, 128];

export const unetFieldFigure: BenchFigure = {
  name: "unet_field",
  description: "U-Net whole-field inference of one 2448x2048 RGB image (512 px tiles -> 256, " +
    "batches of 4, max merge) vs the same in PyTorch",
  async run(ctx) {
    const repeats = ctx.quick ? 1 : 3;
    ctx.log("unet_field: PyTorch peer");
    const peer = await runPeer("unet_field.py", {
      ..._FIELD,
      tile: _SETTINGS.tile,
      input_size: _SETTINGS.inputSize,
      batch: _SETTINGS.batchSize,
      repeats,
      threads: 2,
      encoder: "resnet18",
      widths: _WIDTHS,
      decoder: "upsample",
    });
    const rng = new Rng(1);
    const pixels = Uint8Array.from(
      { length: _FIELD.width * _FIELD.height * 3 },
      () => rng.int(256),
    );
    const rows: BenchRow[] = [];
    for (const backend of ctx.backends) {
      if (backend === "cpu" || (backend === "webgpu" && /software/.test(ctx.machine))) {
        ctx.log(`unet_field: ${backend} skipped (minutes per field on a CPU emulation)`);
        continue;
      }
      ctx.log(`unet_field: ${backend}`);
      await initBackend({ backend: backend as "wasm" | "webgpu" });
      const model = buildUnet({
        inputSize: _SETTINGS.inputSize,
        inputChannels: 3,
        widths: _WIDTHS,
      });
      const parallel = backend === "webgpu"
        ? undefined
        : new ParallelTiles({ model, createWorker: createTileWorker, backend: "wasm" });
      try {
        const time = (predict: (tiles: tf.Tensor4D) => tf.Tensor4D | Promise<tf.Tensor4D>) =>
          timeMedian(async () => {
            const data = normalizeImage(pixels, 3, IMAGENET_NORMALIZATION);
            await segmentField(predict, { data, ..._FIELD, channels: 3 }, _SETTINGS);
          }, { warmup: 1, repeats });
        const seconds = await time((tiles) => model.predict(tiles) as tf.Tensor4D);
        await parallel?.ready();
        const parallelSeconds = parallel
          ? await time((tiles) => parallel.probability(tiles))
          : undefined;
        for (
          const [suffix, value] of [
            ["", seconds],
            ...(parallelSeconds === undefined ? [] : [["_parallel", parallelSeconds] as const]),
          ] as const
        ) {
          rows.push(benchRow({
            name: `unet_field_2448x2048${suffix}_${backend}`,
            unit: "fields/s",
            value: 1 / value,
            peer: peer.ok ? String(peer.value.version) : "PyTorch CPU",
            peerValue: peer.ok ? 1 / Number(peer.value.seconds) : null,
            backend,
            machine: ctx.machine,
            notes: [
              peer.ok ? undefined : peer.note,
              suffix ? "infer.data_parallel: each batch of tiles split with a worker" : undefined,
            ],
          }));
        }
      } finally {
        parallel?.dispose();
        model.dispose();
      }
    }
    return rows;
  },
};
