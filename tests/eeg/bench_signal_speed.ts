/**
 * Speed of lib/eeg's signal functions beside scipy on the same machine, for the lead's
 * `deno task bench` to wire in. Not a test (no _test suffix): run it with
 *
 *     deno run --allow-read --allow-env --allow-run=/usr/bin/python3 tests/eeg/bench_signal_speed.ts [--backend webgpu|cpu|wasm|none]
 *
 * Work: 19 channels x 90,000 samples of noise; STFT with frameLength 256, hop 64
 * (scipy: nperseg 256, noverlap 192) on the CPU path and the tfjs path; decimate by 4.
 * Each figure is the median of repeated runs after warm-up runs (V8 needs a few calls to
 * optimise; scipy plans its FFT on the first call). Prints one JSON array on stdout.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { decimate } from "../../lib/eeg/resample.ts";
import { stft } from "../../lib/eeg/stft.ts";
import { stftGpu } from "../../lib/eeg/stft_gpu.ts";
import { logSpectrogram } from "../../lib/eeg/log_spectrogram.ts";
import { logSpectrogramGpu } from "../../lib/eeg/log_spectrogram_gpu.ts";
import { type BackendRequest, initBackend, Rng } from "../../lib/runtime/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    backend: { type: "string", default: "webgpu" },
    reps: { type: "string", default: "15" },
  },
});
const REPS = Number(values.reps);
const WARMUP = 8;
const CHANNELS = 19;
const SAMPLES = 90_000;

async function medianMs(run: () => unknown | Promise<unknown>): Promise<number> {
  for (let r = 0; r < WARMUP; r++) await run();
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const PEER = `
import sys, time, json
import numpy as np, scipy, scipy.signal as ss
reps = int(sys.argv[1])
x = np.random.default_rng(0).standard_normal((19, 90000))
w = np.random.default_rng(1).standard_normal((20, 2048))
def median_ms(f):
    for _ in range(3): f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2] * 1e3
print(json.dumps({"scipy": scipy.__version__,
  "stft": median_ms(lambda: ss.stft(x, nperseg=256, noverlap=192)),
  "decimate": median_ms(lambda: ss.decimate(x, 4))}))
`;

async function peer(): Promise<{ scipy: string; stft: number; decimate: number } | null> {
  try {
    const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", PEER, String(REPS)] })
      .output();
    if (!out.success) return null;
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch {
    return null;
  }
}

const rng = new Rng(0);
const signal = Array.from(
  { length: CHANNELS },
  () => Float32Array.from({ length: SAMPLES }, () => rng.normal()),
);
const windows = Array.from(
  { length: 20 },
  () => Float32Array.from({ length: 2048 }, () => rng.normal()),
);
const options = { frameLength: 256, hop: 64 };
const machine = `${navigator.hardwareConcurrency} cores`;
const scipy = await peer();
const figures: Record<string, unknown>[] = [];
const figure = (
  name: string,
  value: number,
  peerName: string | null,
  peerValue: number | null,
  backend: string,
) =>
  figures.push({
    name,
    unit: "ms",
    value: Number(value.toFixed(2)),
    peer: peerName,
    peer_value: peerValue === null ? null : Number(peerValue.toFixed(2)),
    ratio: peerValue === null ? null : Number((peerValue / value).toFixed(2)),
    backend,
    machine,
  });

const scipyName = scipy ? `scipy.signal ${scipy.scipy}` : null;
figure(
  "stft 19x90000 (256/64) cpu",
  await medianMs(() => stft(signal, options)),
  scipyName && `${scipyName}.stft`,
  scipy?.stft ?? null,
  "cpu (float64, fft.js)",
);
figure(
  "decimate q=4 19x90000",
  await medianMs(() => decimate(signal, 4)),
  scipyName && `${scipyName}.decimate`,
  scipy?.decimate ?? null,
  "cpu (float64)",
);
figure(
  "log spectrogram 20x2048 (hop 172) cpu",
  await medianMs(() => logSpectrogram(windows, { hop: 172 })),
  null,
  null,
  "cpu (float64)",
);

if (values.backend !== "none") {
  const report = await initBackend({ backend: values.backend as BackendRequest });
  const name = `tfjs ${report.backend}${report.adapter ? ` (${report.adapter.description})` : ""}`;
  const x = tf.tensor2d(Float32Array.from(signal.flatMap((c) => [...c])), [CHANNELS, SAMPLES]);
  // Timed from device-resident input to results read back (the read-back is the sync point).
  figure(
    "stft 19x90000 (256/64) gpu",
    await medianMs(async () => {
      const { re, im } = stftGpu(x, options);
      await Promise.all([re.data(), im.data()]);
      tf.dispose([re, im]);
    }),
    scipyName && `${scipyName}.stft`,
    scipy?.stft ?? null,
    name,
  );
  const w = tf.tensor2d(Float32Array.from(windows.flatMap((c) => [...c])), [20, 2048]);
  figure(
    "log spectrogram 20x2048 (hop 172) gpu",
    await medianMs(async () => {
      const { re, im } = logSpectrogramGpu(w, { hop: 172 });
      await Promise.all([re.data(), im.data()]);
      tf.dispose([re, im]);
    }),
    null,
    null,
    name,
  );
  tf.dispose([x, w]);
}
console.log(JSON.stringify(figures, null, 1));
