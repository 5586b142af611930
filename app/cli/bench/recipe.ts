/**
 * Figure: the whole spectrogram recipe (RECIPES.md steps 1-8) for one recording, eegmat
 * Subject00_1 (182 s at 500 Hz): read the EDF, map the 20 montage channels by name,
 * scale to volts, decimate 500 -> 125 Hz, windows of 2048 every 1024 (21 windows),
 * log-frequency spectrogram (hop 172), dB image tiled 256x256, PNG encoded in memory.
 * Recordings per second, vs the same recipe in MNE + scipy + numpy (+ PIL).
 *
 * Rows: `cpu` is the production path, `recordingImages` of lib/data (what
 * `deno task preprocess` runs); each tfjs backend but the plain-JS cpu one gets a row
 * where step 6 runs as one `logSpectrogramGpu` call over all windows on that backend, the
 * other steps being the same library functions on the CPU.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { openFileByteSource } from "../file_byte_source.ts";
import { EdfReader, voltsPerUnit } from "../../../lib/eeg/edf/mod.ts";
import { mapChannels } from "../../../lib/eeg/channel_map.ts";
import { logSpectrogramGpu } from "../../../lib/eeg/log_spectrogram_gpu.ts";
import { DB_BOUNDS, spectrogramImage } from "../../../lib/eeg/spectrogram_image.ts";
import { decodePng, encodePng } from "../../../lib/image/png.ts";
import { recordingImages, resampleTo } from "../../../lib/data/recording_images.ts";
import {
  recipeParams,
  type SpectrogramParams,
  windowCount,
} from "../../../lib/data/spectrogram_params.ts";
import { initBackend } from "../../../lib/runtime/mod.ts";
import { eegmatFile } from "./edf_read.ts";
import { type BenchFigure, type BenchRow, benchRow, runPeer, timeMedian } from "./harness.ts";

const _FILE = "Subject00_1.edf";

function _params(): SpectrogramParams {
  const [lo, hi] = DB_BOUNDS.math;
  return recipeParams({ twentieth: "A2-A1", dbRange: [lo, hi] });
}

/** The production path: lib/data's recordingImages over a file opened for range reads. */
async function _recipeCpu(path: string, params: SpectrogramParams): Promise<Uint8Array[]> {
  using source = await openFileByteSource(path);
  const images = await recordingImages(source, params, { source: path });
  return images.windows.map((w) => w.png);
}

/** The same recipe with step 6 on the current tfjs backend, all windows in one call. */
async function _recipeTfjs(path: string, params: SpectrogramParams): Promise<Uint8Array[]> {
  using source = await openFileByteSource(path);
  const reader = await EdfReader.open(source);
  const signals = reader.header.signals.filter((s) => !s.isAnnotation);
  const { indices } = mapChannels(signals.map((s) => s.label), params.montage, {
    source: path,
  });
  const picked = indices.map((i) => signals[i]);
  const block = await reader.readSignals({ channels: picked.map((s) => s.index) });
  const volts = block.data.map((data, c) => {
    const scale = voltsPerUnit(picked[c].physicalDimension);
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] * scale;
    return out;
  });
  const signal = resampleTo(volts, picked[0].sampleRateHz, params.sampleRateHz);
  const count = windowCount(signal[0].length, params);
  const channels = signal.length, length = params.windowSamples;
  const stacked = new Float32Array(count * channels * length);
  for (let w = 0; w < count; w++) {
    const start = w * params.shiftSamples;
    for (let c = 0; c < channels; c++) {
      stacked.set(signal[c].subarray(start, start + length), (w * channels + c) * length);
    }
  }
  const x = tf.tensor3d(stacked, [count, channels, length]);
  const { re, im } = logSpectrogramGpu(x, { hop: params.hop });
  const [reData, imData] = (await Promise.all([re.data(), im.data()])) as Float32Array[];
  const [bins, frames] = re.shape.slice(-2);
  tf.dispose([x, re, im]);
  const strip = channels * bins * frames;
  const pngs: Uint8Array[] = [];
  for (let w = 0; w < count; w++) {
    const spec = {
      re: reData.subarray(w * strip, (w + 1) * strip),
      im: imData.subarray(w * strip, (w + 1) * strip),
      shape: [channels, bins, frames] as [number, number, number],
    };
    const image = spectrogramImage(spec, { dbRange: params.dbRange, variant: params.variant });
    pngs.push(encodePng(image));
  }
  return pngs;
}

/** The largest pixel difference between two sets of PNGs (Infinity if they do not match up). */
function _maxPixelDiff(a: Uint8Array[], b: Uint8Array[]): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = decodePng(a[i]).data, y = decodePng(b[i]).data;
    if (x.length !== y.length) return Infinity;
    for (let k = 0; k < x.length; k++) max = Math.max(max, Math.abs(x[k] - y[k]));
  }
  return max;
}

export const recipeFigure: BenchFigure = {
  name: "recipe",
  description: "spectrogram recipe for one recording (read, map, volts, decimate, log " +
    "spectrogram, dB images, PNG), recordings/s, vs MNE + scipy + numpy",
  async run(ctx) {
    const path = eegmatFile(_FILE, ctx.log, "recipe");
    if (path === null) return [];
    const params = _params();
    const repeats = ctx.quick ? 2 : 7;
    ctx.log("recipe: MNE + scipy + numpy peer");
    const peer = await runPeer("recipe.py", {
      file: path,
      repeats,
      montage: params.montage,
      db_range: params.dbRange,
    });
    const peerValue = peer.ok ? 1 / Number(peer.value.seconds) : null;
    const peerName = peer.ok ? String(peer.value.version) : "MNE + scipy + numpy";
    const rows: BenchRow[] = [];
    const row = (backend: string, seconds: number, label: string, note?: string): BenchRow => {
      const value = 1 / seconds;
      return benchRow({
        name: `recipe_math_subject00_1_${backend}`,
        unit: "recordings/s",
        value,
        peer: peerName,
        peerValue,
        backend: label,
        machine: ctx.machine,
        notes: [peer.ok ? undefined : peer.note, note],
      });
    };

    ctx.log("recipe: ours, cpu (lib/data recordingImages)");
    const reference = await _recipeCpu(path, params);
    if (peer.ok && Number(peer.value.windows) !== reference.length) {
      ctx.log(`recipe: window counts differ: ours ${reference.length}, peer ${peer.value.windows}`);
    }
    const cpuSeconds = await timeMedian(async () => {
      await _recipeCpu(path, params);
    }, { warmup: 1, repeats });
    rows.push(row("cpu", cpuSeconds, "cpu (lib/data recordingImages)"));

    for (const backend of ctx.backends) {
      if (backend === "cpu") {
        ctx.log(
          "recipe: tfjs cpu backend skipped (plain-JS matmul; the cpu row is ours on the CPU)",
        );
        continue;
      }
      const software = backend === "webgpu" && /software/.test(ctx.machine);
      ctx.log(`recipe: ours, log spectrogram on tfjs ${backend}${software ? " (software)" : ""}`);
      await initBackend({ backend: backend as "wasm" | "webgpu" });
      // Same images as the CPU path? float32 on the backend may move a pixel across a level.
      const diff = _maxPixelDiff(reference, await _recipeTfjs(path, params));
      ctx.log(`recipe: ${backend} images differ from the cpu path's by at most ${diff} levels`);
      const seconds = await timeMedian(async () => {
        await _recipeTfjs(path, params);
      }, { warmup: 1, repeats: software ? Math.min(repeats, 3) : repeats });
      rows.push(
        row(
          backend,
          seconds,
          `${backend} (log spectrogram on tfjs ${backend}; read, decimate, images, PNG on the CPU)`,
          diff > 1 ? `images differ from the cpu path's by up to ${diff} grey levels` : undefined,
        ),
      );
    }
    const eegSeconds = peer.ok ? Number(peer.value.eeg_seconds) : 182;
    ctx.log(
      `recipe: ${rows.map((r) => `${r.name} ${(1e3 / r.value).toFixed(0)} ms`).join(", ")}; ` +
        `peer ${peer.ok ? (Number(peer.value.seconds) * 1e3).toFixed(0) : "-"} ms ` +
        `(${eegSeconds} s of EEG, ${reference.length} windows)`,
    );
    return rows;
  },
};
