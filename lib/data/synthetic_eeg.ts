/**
 * Built-in demo data: synthetic EEG recordings with known labels, so that the whole real
 * path (EDF file -> decimation -> spectrograms -> dataset -> classifier) runs on a fresh
 * checkout without any download. The signal model is deliberately simple but has the
 * features the real pipeline must cope with:
 *
 * - a 1/f ("pink") background, per channel, from a bank of one-pole filters (Kellet's
 *   economy pink-noise filter), scaled to tens of microvolts;
 * - an alpha rhythm with a per-subject peak frequency (8.5-11.5 Hz) and amplitude, strongest
 *   over occipital and parietal channels and attenuated during the task (alpha blocking);
 * - frontal-midline theta (5-7 Hz) and a beta band (18-25 Hz) that grow during the task;
 * - white sensor noise, 50 Hz line interference with a per-recording phase, and occasional
 *   eye blinks on the frontal channels.
 *
 * The task label changes band power (the thing spectrograms show); gender shifts the alpha
 * frequency and overall amplitude slightly, as reported for real EEG, so it is learnable but
 * harder. Nothing here claims physiological realism beyond that.
 *
 * @module
 */
import { Rng } from "../runtime/rng.ts";
import { COMMON_CHANNELS_19 } from "../eeg/channel_map.ts";

/** The 20 channels of the common montage (RECIPES.md step 2, 20th = A2-A1 as in Math). */
export const SYNTHETIC_CHANNELS: readonly string[] = [...COMMON_CHANNELS_19, "A2-A1"];

/** One synthetic subject's labels. */
export interface SyntheticSubject {
  id: string;
  gender: "female" | "male";
  age: number;
  /** Individual alpha peak frequency in Hz. */
  alphaHz: number;
  /** Individual amplitude factor. */
  amplitude: number;
}

/** One synthetic recording: samples per channel in volts. */
export interface SyntheticRecording {
  subject: SyntheticSubject;
  taskState: "rest" | "arithmetic";
  sampleRateHz: number;
  channels: readonly string[];
  /** Volts, one Float32Array per channel. */
  data: Float32Array[];
}

/** Options for {@linkcode generateSyntheticSubjects} and {@linkcode generateSyntheticRecording}. */
export interface SyntheticOptions {
  sampleRateHz?: number;
  durationSeconds?: number;
}

/**
 * Draws `count` subjects with balanced genders and ages 17-30 (the Math dataset's range).
 *
 * @example
 * ```ts
 * import { Rng } from "../runtime/rng.ts";
import { COMMON_CHANNELS_19 } from "../eeg/channel_map.ts";
 * import { generateSyntheticSubjects } from "./synthetic_eeg.ts";
 * const subjects = generateSyntheticSubjects(4, new Rng(0));
 * console.assert(subjects.filter((s) => s.gender === "female").length === 2);
 * ```
 */
export function generateSyntheticSubjects(count: number, rng: Rng): SyntheticSubject[] {
  return Array.from({ length: count }, (_, i) => {
    const gender = i % 2 === 0 ? "female" : "male";
    return {
      id: `Synth${String(i).padStart(2, "0")}`,
      gender,
      age: 17 + rng.int(14),
      // Women's alpha peaks are on average slightly higher and stronger (a modest effect).
      alphaHz: 9.5 + (gender === "female" ? 0.5 : -0.5) + (rng.float() - 0.5) * 2,
      amplitude: (gender === "female" ? 1.1 : 0.9) * (0.8 + 0.4 * rng.float()),
    };
  });
}

const _REGION_ALPHA: Record<string, number> = { O: 1.0, P: 0.8, T: 0.5, C: 0.4, F: 0.25, A: 0.2 };

function _region(channel: string): string {
  return channel.startsWith("Fp") ? "F" : channel[0];
}

/**
 * Generates one recording of `subject` in `taskState`.
 *
 * @example
 * ```ts
 * import { Rng } from "../runtime/rng.ts";
import { COMMON_CHANNELS_19 } from "../eeg/channel_map.ts";
 * import { generateSyntheticRecording, generateSyntheticSubjects } from "./synthetic_eeg.ts";
 * const rng = new Rng(1);
 * const [subject] = generateSyntheticSubjects(1, rng);
 * const rec = generateSyntheticRecording(subject, "rest", rng, { durationSeconds: 2 });
 * console.assert(rec.data.length === 20 && rec.data[0].length === 1000);
 * ```
 */
export function generateSyntheticRecording(
  subject: SyntheticSubject,
  taskState: "rest" | "arithmetic",
  rng: Rng,
  options: SyntheticOptions = {},
): SyntheticRecording {
  const fs = options.sampleRateHz ?? 500;
  const n = Math.round((options.durationSeconds ?? 60) * fs);
  const task = taskState === "arithmetic";
  const uV = 1e-6;
  const linePhase = rng.float() * 2 * Math.PI;
  // Eye blinks: shared by the frontal channels, about one every 4 s.
  const blink = new Float32Array(n);
  for (
    let t = Math.floor(rng.float() * 4 * fs);
    t < n;
    t += Math.floor((2 + 4 * rng.float()) * fs)
  ) {
    const width = 0.15 * fs;
    for (let k = -3 * width; k <= 3 * width; k++) {
      const i = t + k;
      if (i >= 0 && i < n) blink[i] += 80 * uV * Math.exp(-0.5 * (k / width) ** 2);
    }
  }
  const data = SYNTHETIC_CHANNELS.map((channel) => {
    const region = _region(channel);
    const alphaGain = _REGION_ALPHA[region] * (task ? 0.35 : 1.0);
    const thetaGain = (channel === "Fz" || region === "F" ? 1 : 0.3) * (task ? 1.0 : 0.4);
    const betaGain = task ? 1.0 : 0.5;
    const out = new Float32Array(n);
    // Kellet's economy pink filter state.
    let b0 = 0, b1 = 0, b2 = 0;
    // Slowly wandering phases so rhythms are not pure sines.
    let alphaPhase = rng.float() * 2 * Math.PI;
    let thetaPhase = rng.float() * 2 * Math.PI;
    let betaPhase = rng.float() * 2 * Math.PI;
    const alphaHz = subject.alphaHz + (rng.float() - 0.5) * 0.3;
    for (let i = 0; i < n; i++) {
      const white = rng.normal();
      b0 = 0.99765 * b0 + white * 0.099046;
      b1 = 0.963 * b1 + white * 0.2965164;
      b2 = 0.57 * b2 + white * 1.0526913;
      const pink = (b0 + b1 + b2 + white * 0.1848) * 4 * uV;
      alphaPhase += 2 * Math.PI * (alphaHz + 0.4 * rng.normal()) / fs;
      thetaPhase += 2 * Math.PI * (6 + 0.5 * rng.normal()) / fs;
      betaPhase += 2 * Math.PI * (21 + 2 * rng.normal()) / fs;
      const rhythms = 18 * uV * alphaGain * Math.sin(alphaPhase) +
        8 * uV * thetaGain * Math.sin(thetaPhase) +
        4 * uV * betaGain * Math.sin(betaPhase);
      const line = 3 * uV * Math.sin(2 * Math.PI * 50 * i / fs + linePhase);
      const sensor = 2 * uV * rng.normal();
      out[i] = subject.amplitude * (pink + rhythms) + line + sensor +
        (region === "F" ? blink[i] : 0);
    }
    return out;
  });
  return { subject, taskState, sampleRateHz: fs, channels: SYNTHETIC_CHANNELS, data };
}
