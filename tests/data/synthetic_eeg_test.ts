import assert from "node:assert/strict";
import { Rng } from "../../lib/runtime/rng.ts";
import {
  generateSyntheticRecording,
  generateSyntheticSubjects,
  SYNTHETIC_CHANNELS,
} from "../../lib/data/synthetic_eeg.ts";

/** Mean power in [lowHz, highHz] from 2-s Hann-windowed DFT segments (Welch-style). */
function bandPower(x: Float32Array, fs: number, lowHz: number, highHz: number): number {
  const seg = 2 * fs;
  let total = 0, count = 0;
  for (let start = 0; start + seg <= x.length; start += seg) {
    for (let f = lowHz; f <= highHz; f += 0.5) {
      let re = 0, im = 0;
      for (let i = 0; i < seg; i++) {
        const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (seg - 1));
        const a = (2 * Math.PI * f * i) / fs;
        re += w * x[start + i] * Math.cos(a);
        im -= w * x[start + i] * Math.sin(a);
      }
      total += re * re + im * im;
      count++;
    }
  }
  return total / count;
}

Deno.test("synthetic subjects are seeded and gender-balanced", () => {
  const a = generateSyntheticSubjects(6, new Rng(9));
  assert.deepEqual(a, generateSyntheticSubjects(6, new Rng(9)));
  assert.equal(a.filter((s) => s.gender === "male").length, 3);
  assert.ok(a.every((s) => s.age >= 17 && s.age <= 30 && s.alphaHz > 8 && s.alphaHz < 11.5));
});

Deno.test("synthetic EEG: microvolt scale, alpha blocked during the task, frontal theta up", () => {
  const rng = new Rng(4);
  const [subject] = generateSyntheticSubjects(1, rng);
  const fs = 250;
  const rest = generateSyntheticRecording(subject, "rest", rng, {
    sampleRateHz: fs,
    durationSeconds: 20,
  });
  const task = generateSyntheticRecording(subject, "arithmetic", rng, {
    sampleRateHz: fs,
    durationSeconds: 20,
  });
  assert.equal(rest.data.length, SYNTHETIC_CHANNELS.length);
  const o1 = SYNTHETIC_CHANNELS.indexOf("O1"), fz = SYNTHETIC_CHANNELS.indexOf("Fz");
  let ss = 0;
  for (const v of rest.data[o1]) ss += v * v;
  const rmsMicrovolts = Math.sqrt(ss / rest.data[o1].length) * 1e6;
  assert.ok(rmsMicrovolts > 5 && rmsMicrovolts < 60, `O1 rms ${rmsMicrovolts} uV`);
  const a = subject.alphaHz;
  const alphaRest = bandPower(rest.data[o1], fs, a - 1, a + 1);
  const alphaTask = bandPower(task.data[o1], fs, a - 1, a + 1);
  assert.ok(alphaRest > 3 * alphaTask, `alpha rest/task ${alphaRest / alphaTask}`);
  const thetaRest = bandPower(rest.data[fz], fs, 5, 7);
  const thetaTask = bandPower(task.data[fz], fs, 5, 7);
  assert.ok(thetaTask > 1.5 * thetaRest, `theta task/rest ${thetaTask / thetaRest}`);
  // Line interference sits at 50 Hz, well above the neighbouring background.
  assert.ok(bandPower(rest.data[o1], fs, 50, 50) > 5 * bandPower(rest.data[o1], fs, 45, 45));
});

Deno.test("the synthetic folder is a Math-layout dataset written through our EDF writer", async () => {
  const { MemoryStorage } = await import("../../lib/io/memory_storage.ts");
  const { writeSyntheticMathFolder } = await import("../../lib/data/synthetic_dataset.ts");
  const { listMathDataset } = await import("../../lib/data/adapters/math.ts");
  const { readEdf } = await import("../../lib/eeg/edf/read_edf.ts");
  const { bytesSource } = await import("../../lib/eeg/edf/byte_source.ts");
  const storage = new MemoryStorage();
  await writeSyntheticMathFolder(storage, { subjects: 2, durationSeconds: 20, seed: 3 });
  const { recordings, warnings } = await listMathDataset(storage);
  assert.deepEqual(warnings, []);
  assert.deepEqual(recordings.map((r) => [r.path, r.labels.task_state, r.labels.gender]), [
    ["Synth00_1.edf", "rest", "female"],
    ["Synth00_2.edf", "arithmetic", "female"],
    ["Synth01_1.edf", "rest", "male"],
    ["Synth01_2.edf", "arithmetic", "male"],
  ]);
  const edf = await readEdf(bytesSource(await storage.readBytes("Synth00_1.edf")));
  assert.equal(edf.header.signals.filter((s) => !s.isAnnotation).length, 20);
  assert.equal(edf.data[0].length, 20 * 500);
  assert.equal(edf.header.signals[0].label, "EEG Fp1");
});
