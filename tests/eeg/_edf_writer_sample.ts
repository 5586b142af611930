/**
 * The project's own small EDF+ fixture, written by writeEdf: three 128 Hz signals in uV,
 * mV and V, four records of 1.5 s (a non-integer record duration) and three annotations.
 * Run as a script to (re)write tests/eeg/fixtures/edf_writer_sample.edf, which
 * make_edf_goldens.py then reads with MNE:
 *
 *     deno run --allow-write tests/eeg/_edf_writer_sample.ts
 *
 * @module
 */
import { writeEdf, type WriteEdfOptions } from "../../lib/eeg/edf/mod.ts";
import { Rng } from "../../lib/runtime/rng.ts";

/** Where the fixture lives. */
export const WRITER_SAMPLE_URL = new URL("./fixtures/edf_writer_sample.edf", import.meta.url);

/** The options the fixture is written from (deterministic: seeded noise, fixed date). */
export function writerSampleOptions(): WriteEdfOptions {
  const rng = new Rng(2024);
  const n = 4 * 192;
  const wave = (f: number, amplitude: number, noise: number) =>
    Float32Array.from(
      { length: n },
      (_, i) => amplitude * Math.sin(2 * Math.PI * f * i / 128) + noise * rng.normal(),
    );
  return {
    recordDurationSeconds: 1.5,
    startDate: new Date(Date.UTC(2021, 4, 17, 9, 30, 5)),
    patient: { code: "P01", sex: "F", birthdate: new Date(Date.UTC(1990, 1, 3)), name: "Jane Doe" },
    recording: { adminCode: "R7", technician: "tech", equipment: "eeg-workbench" },
    signals: [
      {
        label: "EEG Fz",
        sampleRateHz: 128,
        data: wave(10, 40, 5),
        physicalMin: -200,
        physicalMax: 200,
        prefilter: "HP:0.5Hz LP:45Hz",
        transducer: "AgAgCl electrode",
      },
      { label: "ECG", sampleRateHz: 128, unit: "mV", data: wave(1.2, 1.5, 0.05) },
      { label: "Resp", sampleRateHz: 128, unit: "V", data: wave(0.3, 0.002, 0.0001) },
    ],
    annotations: [
      { onset: 0.25, duration: 1, description: "eyes closed" },
      { onset: 2.5, description: "blink" },
      { onset: 4.125, duration: 0.5, description: "Augen zu – ä" },
    ],
  };
}

/** The fixture's bytes. */
export function writerSampleBytes(): Uint8Array {
  return writeEdf(writerSampleOptions());
}

if (import.meta.main) {
  await Deno.writeFile(WRITER_SAMPLE_URL, writerSampleBytes());
  console.error(`wrote ${WRITER_SAMPLE_URL.pathname}`);
}
