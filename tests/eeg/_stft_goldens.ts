/**
 * Test support for the STFT tests: the scipy goldens (stft_<window>.json, stft_extra.json),
 * scipy's parameters as our options, tolerances, and shared inputs.
 *
 * @module
 */
import type { StftOptions } from "../../lib/eeg/stft.ts";
import { Rng } from "../../lib/runtime/mod.ts";
import { channels, readGolden } from "./_goldens.ts";

/** One scipy.signal.stft call and its output. */
export interface StftCase {
  nperseg: number;
  noverlap: number | null;
  nfft: number | null;
  window: "hann" | "hamming" | "boxcar";
  boundary: "zeros" | null;
  padded: boolean;
  frequencies: number[];
  times: number[];
  shape: [number, number, number];
  re: number[][][];
  im: number[][][];
}

/** scipy.signal.istft of scipy.signal.stft with the same parameters. */
export interface Roundtrip {
  nperseg: number;
  noverlap: number | null;
  nfft: number | null;
  window: "hann" | "hamming";
  istft: number[][];
}

interface _ExtraGolden {
  input: number[][];
  twosided: Omit<StftCase, "nperseg" | "window"> & {
    fs: number;
    nperseg: number;
    window: "hann";
    istft: number[][];
  };
  roundtrips: Roundtrip[];
}

const _WINDOWS = ["hann", "hamming", "boxcar"] as const;
const _goldens = await Promise.all(
  _WINDOWS.map((w) => readGolden<{ input: number[][]; cases: StftCase[] }>(`stft_${w}.json`)),
);

/** All 24 forward cases: 3 windows x 2 settings x boundary zeros/None x padded. */
export const STFT_CASES: StftCase[] = _goldens.flatMap((g) => g.cases);
/** Two-sided psd case and istft round trips. */
export const STFT_EXTRA = await readGolden<_ExtraGolden>("stft_extra.json");
/** The goldens' input: 2 channels x 200 samples of eegmat Subject00_1 (volts). */
export const STFT_INPUT = channels(_goldens[0].input);
/** Our options for the two-sided case (scipy: fs=500, nperseg=32, return_onesided=False, scaling="psd"). */
export const TWOSIDED_OPTIONS: StftOptions = {
  sampleRateHz: 500,
  frameLength: 32,
  onesided: false,
  scaling: "psd",
};

/** Axes are exact; the goldens store 9 significant digits. */
export const AXIS_TOLERANCE = { rtol: 1e-8, atol: 1e-12 };

/** scipy's (nperseg, noverlap, nfft, window, boundary, padded) as our options. */
export function optionsOf(
  c: Pick<StftCase, "nperseg" | "noverlap" | "nfft" | "window"> & Partial<StftCase>,
): StftOptions {
  return {
    window: c.window,
    frameLength: c.nperseg,
    hop: c.nperseg - (c.noverlap ?? Math.floor(c.nperseg / 2)),
    fftLength: c.nfft ?? undefined,
    boundary: c.boundary,
    padded: c.padded,
  };
}

const _rng = new Rng(11);
/** Three channels of 1000 standard-normal samples (seeded). */
export const NOISE = [0, 1, 2].map(() => Float32Array.from({ length: 1000 }, () => _rng.normal()));
