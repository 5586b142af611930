/**
 * Private: checks a signal to write and quantises it to 16-bit digital values.
 *
 * @module
 */
import { _formatNumber8 } from "./_edf_write_fields.ts";
import type { EdfWriteSignal } from "./write_edf.ts";

/** A signal ready to write: its header texts and quantised samples. */
export interface _SignalLayout {
  label: string;
  transducer: string;
  unit: string;
  prefilter: string;
  physicalMin: string;
  physicalMax: string;
  digitalMin: string;
  digitalMax: string;
  samplesPerRecord: number;
  digital: Int16Array;
}

/** Checks one signal and quantises its samples to 16 bits. */
export function _signalLayout(signal: EdfWriteSignal, duration: number): _SignalLayout {
  const { label, sampleRateHz, data, digitalMin = -32768, digitalMax = 32767 } = signal;
  const fail = (why: string, value: unknown): never => {
    throw new RangeError(
      `Cannot write EDF signal ${JSON.stringify(label)} as ${why}: current value is ${value}`,
    );
  };
  const exact = sampleRateHz * duration;
  const samplesPerRecord = Math.round(exact);
  if (!(samplesPerRecord >= 1 && Math.abs(exact - samplesPerRecord) < 1e-9 * Math.max(1, exact))) {
    fail(
      `sampleRateHz x recordDurationSeconds (${duration}) must be a whole number of samples`,
      sampleRateHz,
    );
  }
  if (data.length % samplesPerRecord !== 0) {
    fail(
      `its length must be a whole number of records of ${samplesPerRecord} samples`,
      data.length,
    );
  }
  if (
    !Number.isInteger(digitalMin) || !Number.isInteger(digitalMax) || digitalMin < -32768 ||
    digitalMax > 32767 || digitalMin >= digitalMax
  ) {
    fail(
      "digitalMin < digitalMax must be integers in -32768..32767",
      `${digitalMin}..${digitalMax}`,
    );
  }
  let [low, high] = [Infinity, -Infinity];
  for (let i = 0; i < data.length; i++) {
    [low, high] = [Math.min(low, data[i]), Math.max(high, data[i])];
  }
  if (data.length === 0 || low === high) {
    [low, high] = data.length === 0 ? [-1, 1] : [low - 1, high + 1];
  }
  const physicalMin = _formatNumber8(signal.physicalMin ?? low, "down", "physical minimum");
  const physicalMax = _formatNumber8(signal.physicalMax ?? high, "up", "physical maximum");
  const [pMin, pMax] = [Number(physicalMin), Number(physicalMax)];
  if (pMin === pMax) fail("physicalMin and physicalMax must differ", `${pMin}..${pMax}`);
  const gain = (pMax - pMin) / (digitalMax - digitalMin);
  const digital = new Int16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const level = (data[i] - pMin) / gain + digitalMin;
    if (!(level >= digitalMin - 0.5 - 1e-6 && level <= digitalMax + 0.5 + 1e-6)) {
      fail(
        `its samples must lie within the physical range [${pMin}, ${pMax}] (sample ${i})`,
        data[i],
      );
    }
    digital[i] = Math.min(digitalMax, Math.max(digitalMin, Math.round(level)));
  }
  return {
    label,
    transducer: signal.transducer ?? "",
    unit: (signal.unit ?? "uV").replace(/^[\u00b5\u03bc]V$/, "uV"),
    prefilter: signal.prefilter ?? "",
    physicalMin,
    physicalMax,
    digitalMin: String(digitalMin),
    digitalMax: String(digitalMax),
    samplesPerRecord,
    digital,
  };
}
