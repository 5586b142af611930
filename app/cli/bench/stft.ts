/**
 * Figure: the STFT of real EEG, 19 channels x 90,000 samples at 500 Hz (the first 19 EEG
 * channels of the eegmat recording Subject00_1, in volts, first 90,000 samples; the
 * first 180 s), hann window, frame 256, hop 64, scipy's other defaults: our CPU path
 * (`stft`: PFFFT in WebAssembly SIMD, single precision; fft.js where PFFFT is missing) and
 * the tfjs path (`stftGpu`, framing + DFT as one matrix product) on each tfjs backend but
 * the plain-JS cpu one, each vs
 * `scipy.signal.stft` on the same samples. Milliseconds per transform, input arrays in
 * memory to results in memory (the tfjs rows include the upload and the read-back).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { openFileByteSource } from "../file_byte_source.ts";
import { readEdf, voltsPerUnit } from "../../../lib/eeg/edf/mod.ts";
import { stft } from "../../../lib/eeg/stft.ts";
import { stftGpu } from "../../../lib/eeg/stft_gpu.ts";
import { initBackend } from "../../../lib/runtime/mod.ts";
import { pffftAvailable } from "../../../lib/eeg/pffft.ts";
import { eegmatFile } from "./edf_read.ts";
import { type BenchFigure, type BenchRow, benchRow, runPeer, timeMedian } from "./harness.ts";

const _FILE = "Subject00_1.edf";
const _CHANNELS = 19;
const _SAMPLES = 90_000;
const _FRAME = 256;
const _HOP = 64;

/** The first 19 "EEG " signals of the file, in volts, first 90,000 samples. */
async function _loadSignal(path: string): Promise<Float32Array[]> {
  using source = await openFileByteSource(path);
  const { signals, data } = await readEdf(source);
  const picks = signals.map((s, i) => [s, i] as const)
    .filter(([s]) => s.label.startsWith("EEG "))
    .slice(0, _CHANNELS);
  if (picks.length < _CHANNELS || data[picks[0][1]].length < _SAMPLES) {
    throw new RangeError(
      `Cannot run the stft figure as ${path} must have ${_CHANNELS} EEG channels of at least ` +
        `${_SAMPLES} samples: current value is ${picks.length} channels`,
    );
  }
  return picks.map(([s, i]) => {
    const scale = voltsPerUnit(s.physicalDimension);
    return Float32Array.from(data[i].subarray(0, _SAMPLES), (v) => v * scale);
  });
}

export const stftFigure: BenchFigure = {
  name: "stft",
  description: "STFT of 19 x 90,000 EEG samples (frame 256, hop 64, hann), ms, " +
    "vs scipy.signal.stft",
  async run(ctx) {
    const path = eegmatFile(_FILE, ctx.log, "stft");
    if (path === null) return [];
    const repeats = ctx.quick ? 3 : 15;
    ctx.log("stft: scipy peer");
    const peer = await runPeer("stft.py", {
      file: path,
      channels: _CHANNELS,
      samples: _SAMPLES,
      nperseg: _FRAME,
      noverlap: _FRAME - _HOP,
      repeats,
    });
    // scipy is timed on float64 input (what MNE returns) and on float32 input (what our
    // reader returns); the faster of the two is the peer.
    let peerMs: number | null = null;
    let peerName = "scipy.signal.stft";
    if (peer.ok) {
      const f64 = Number(peer.value.seconds_float64) * 1e3;
      const f32 = Number(peer.value.seconds_float32) * 1e3;
      peerMs = Math.min(f64, f32);
      peerName = `${peer.value.version} (${f32 <= f64 ? "float32" : "float64"} input; ` +
        `float64 ${f64.toFixed(2)} ms, float32 ${f32.toFixed(2)} ms)`;
    }
    const signal = await _loadSignal(path);
    const options = { frameLength: _FRAME, hop: _HOP, window: "hann" as const };
    const rows: BenchRow[] = [];
    const row = (name: string, ms: number, backend: string): BenchRow =>
      benchRow({
        name,
        unit: "ms",
        value: ms,
        peer: peerName,
        peerValue: peerMs,
        backend,
        machine: ctx.machine,
        notes: [peer.ok ? undefined : peer.note],
      });

    ctx.log(`stft: ours, CPU (${pffftAvailable() ? "PFFFT, WebAssembly SIMD" : "fft.js"})`);
    // V8 optimises after a few calls: warm up as scipy does.
    const cpuSeconds = await timeMedian(() => {
      stft(signal, options);
      return Promise.resolve();
    }, { warmup: 3, repeats });
    rows.push(
      row(
        `stft_19x90000_cpu`,
        cpuSeconds * 1e3,
        `cpu (lib/eeg stft, ${pffftAvailable() ? "PFFFT wasm SIMD" : "fft.js"})`,
      ),
    );

    for (const backend of ctx.backends) {
      if (backend === "cpu") {
        ctx.log("stft: tfjs cpu backend skipped (plain-JS matmul; our CPU path is the row above)");
        continue;
      }
      const software = backend === "webgpu" && /software/.test(ctx.machine);
      ctx.log(`stft: ours, stftGpu on tfjs ${backend}${software ? " (software adapter)" : ""}`);
      await initBackend({ backend: backend as "wasm" | "webgpu" });
      const seconds = await timeMedian(async () => {
        const { re, im } = stftGpu(signal, options); // uploads the arrays
        await Promise.all([re.data(), im.data()]); // read-back: the sync point
        tf.dispose([re, im]);
      }, { warmup: 2, repeats: software ? Math.min(repeats, 3) : repeats });
      rows.push(row(`stft_19x90000_${backend}`, seconds * 1e3, backend));
    }
    ctx.log(
      `stft: ${rows.map((r) => `${r.backend} ${r.value} ms`).join(", ")}; scipy ${
        peerMs?.toFixed(2) ?? "-"
      } ms`,
    );
    return rows;
  },
};
