/**
 * One recording -> its spectrogram windows as PNG images (RECIPES.md steps 1-9): read the
 * montage channels by name, scale to volts, resample the whole recording to the common
 * rate (integer ratios by scipy-equal decimation, others by polyphase resampling), cut
 * 50 %-overlapping windows, log-frequency spectrogram, dB image, PNG.
 *
 * @module
 */
import { EdfReader } from "../eeg/edf/edf_reader.ts";
import type { ByteSource } from "../eeg/edf/byte_source.ts";
import { voltsPerUnit } from "../eeg/edf/volts_per_unit.ts";
import { mapChannels } from "../eeg/channel_map.ts";
import { decimate, resamplePoly } from "../eeg/resample.ts";
import type { ChannelSignal } from "../eeg/channel_signal.ts";
import { logSpectrogram } from "../eeg/log_spectrogram.ts";
import { spectrogramImage } from "../eeg/spectrogram_image.ts";
import { encodePng } from "../image/png.ts";
import { type SpectrogramParams, windowCount } from "./spectrogram_params.ts";

/** One window of a recording. */
export interface WindowImage {
  /** Window index w: samples [shift w, shift w + L) at the common rate. */
  index: number;
  /** Start of the window in seconds of the source recording. */
  startSeconds: number;
  png: Uint8Array;
}

/** What {@linkcode recordingImages} returns. */
export interface RecordingImages {
  sourceRateHz: number;
  durationSeconds: number;
  windows: WindowImage[];
  /** Header oddities and filled channels, for the summary. */
  warnings: string[];
}

function _gcd(a: number, b: number): number {
  return b === 0 ? a : _gcd(b, a % b);
}

/**
 * Resamples channels from `fromHz` to `toHz`: decimation when the ratio is an integer
 * (scipy.signal.decimate, zero phase), else resample_poly with the reduced fraction.
 */
export function resampleTo(channels: ChannelSignal, fromHz: number, toHz: number): Float32Array[] {
  if (fromHz === toHz) return channels.map((x) => Float32Array.from(x));
  const ratio = fromHz / toHz;
  if (Number.isInteger(ratio)) return decimate(channels, ratio);
  // Rates like 512 or 9.59375-s records: work in integer millihertz to find the fraction.
  const a = Math.round(toHz * 1000), b = Math.round(fromHz * 1000);
  const g = _gcd(a, b);
  return resamplePoly(channels, { up: a / g, down: b / g });
}

/** Turns already-loaded channels (volts, rows in montage order) into window images. */
export function channelsToImages(
  volts: Float64Array[],
  sourceRateHz: number,
  params: SpectrogramParams,
): WindowImage[] {
  return _windowImages(resampleTo(volts, sourceRateHz, params.sampleRateHz), params);
}

/** The window images of a signal already at params.sampleRateHz. */
function _windowImages(signal: Float32Array[], params: SpectrogramParams): WindowImage[] {
  const count = windowCount(signal[0].length, params);
  const windows: WindowImage[] = [];
  for (let w = 0; w < count; w++) {
    const start = w * params.shiftSamples;
    const window = signal.map((x) => x.subarray(start, start + params.windowSamples));
    const spec = logSpectrogram(window, { hop: params.hop });
    const image = spectrogramImage(spec, { dbRange: params.dbRange, variant: params.variant });
    windows.push({ index: w, startSeconds: start / params.sampleRateHz, png: encodePng(image) });
  }
  return windows;
}

/** What {@linkcode recordingSignal} returns: the montage channels at the common rate. */
export interface RecordingSignal {
  sourceRateHz: number;
  durationSeconds: number;
  /** One row per montage channel (params.montage order), volts at params.sampleRateHz. */
  signal: Float32Array[];
  /** Header oddities and filled channels, for the summary. */
  warnings: string[];
}

interface _RecordingVolts {
  sourceRateHz: number;
  samples: number;
  /** Montage channels at the common rate, in volts. */
  signal: Float32Array[];
  warnings: string[];
}

/**
 * Reads the montage channels of an EDF/BDF recording and resamples them to the common
 * rate, in volts. The physical values are resampled as read and scaled to volts
 * afterwards (resampling is linear): this spares a float64 copy of the whole recording
 * and scales a quarter of the samples at 500 -> 125 Hz, at the cost of one float32
 * rounding (at equal rates the result is the same to the bit).
 */
async function _readVolts(
  source: ByteSource,
  params: SpectrogramParams,
  name: string,
): Promise<_RecordingVolts> {
  const reader = await EdfReader.open(source);
  const signals = reader.header.signals.filter((s) => !s.isAnnotation);
  const { indices, filled } = mapChannels(signals.map((s) => s.label), params.montage, {
    missing: params.missingChannels,
    source: name,
  });
  const present = indices.filter((i) => i >= 0).map((i) => signals[i]);
  const rates = new Set(present.map((s) => s.sampleRateHz));
  if (rates.size > 1) {
    throw new RangeError(
      `Cannot build spectrograms of ${name} as its montage channels must share one sample ` +
        `rate: current values are ${[...rates].join(", ")} Hz`,
    );
  }
  const sourceRateHz = present[0].sampleRateHz;
  const block = await reader.readSignals({ channels: present.map((s) => s.index) });
  const samples = block.data[0].length;
  const scales: number[] = [];
  let k = 0;
  const physical = indices.map((i) => {
    if (i < 0) {
      scales.push(1);
      return new Float32Array(samples); // filled channel: zeros (policy "zeros")
    }
    scales.push(voltsPerUnit(present[k].physicalDimension));
    return block.data[k++];
  });
  const signal = resampleTo(physical, sourceRateHz, params.sampleRateHz);
  for (let c = 0; c < signal.length; c++) {
    const x = signal[c], scale = scales[c];
    if (scale !== 1) { for (let i = 0; i < x.length; i++) x[i] *= scale; }
  }
  const warnings = [...reader.warnings];
  if (filled.length > 0) warnings.push(`${name}: channels filled with zeros: ${filled.join(", ")}`);
  return { sourceRateHz, samples, signal, warnings };
}

/**
 * Reads an EDF/BDF recording and renders its windows.
 *
 * @example
 * ```ts ignore
 * const images = await recordingImages(bytesSource(bytes), recipeParams({...}), { source: "x.edf" });
 * ```
 */
export async function recordingImages(
  source: ByteSource,
  params: SpectrogramParams,
  options: { source?: string } = {},
): Promise<RecordingImages> {
  const read = await _readVolts(source, params, options.source ?? "recording");
  return {
    sourceRateHz: read.sourceRateHz,
    durationSeconds: read.samples / read.sourceRateHz,
    windows: _windowImages(read.signal, params),
    warnings: read.warnings,
  };
}

/**
 * Reads an EDF/BDF recording and returns its montage channels resampled to the common
 * rate, without images: the same signal {@linkcode recordingImages} cuts its windows from
 * (RECIPES.md steps 1-3), for the time-series dataset.
 *
 * @example
 * ```ts ignore
 * const { signal } = await recordingSignal(bytesSource(bytes), params, { source: "x.edf" });
 * // signal.length === 20, each row in volts at params.sampleRateHz
 * ```
 */
export async function recordingSignal(
  source: ByteSource,
  params: SpectrogramParams,
  options: { source?: string } = {},
): Promise<RecordingSignal> {
  const read = await _readVolts(source, params, options.source ?? "recording");
  return {
    sourceRateHz: read.sourceRateHz,
    durationSeconds: read.samples / read.sourceRateHz,
    signal: read.signal,
    warnings: read.warnings,
  };
}
