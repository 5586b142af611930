/**
 * Worker (module) that renders one recording's spectrogram windows, exposed through
 * comlink, so `preprocess` uses every core (in Deno workers, and in browser workers for
 * the web app). A thin adapter over lib/data/recording_images.ts (EDF/BDF) and
 * lib/data/mat_recording.ts (MATLAB trials, SEED).
 *
 * @module
 */
import { expose, transfer } from "comlink";
import { bytesSource } from "../lib/eeg/edf/byte_source.ts";
import {
  type RecordingImages,
  recordingImages,
  type RecordingSignal,
  recordingSignal,
} from "../lib/data/recording_images.ts";
import { matRecordingImages } from "../lib/data/mat_recording.ts";
import type { RecordingRef } from "../lib/data/recording_ref.ts";
import type { SpectrogramParams } from "../lib/data/spectrogram_params.ts";

/** Options of {@linkcode PreprocessWorkerApi.render}. */
export interface RenderOptions {
  /** MATLAB recordings: factor from stored values to volts. Default 1e-6 (microvolts, SEED). */
  unitScale?: number;
}

/** The API this worker exposes. */
export interface PreprocessWorkerApi {
  /** Answers once the worker's modules are loaded (to start a pool before timing it). */
  ping(): Promise<true>;
  /**
   * Renders the windows of a recording given as bytes (transferred, not copied): an
   * EDF/BDF file, or for a "mat" ref a MAT file holding `ref.variable`.
   */
  render(
    bytes: Uint8Array,
    params: SpectrogramParams,
    ref: RecordingRef,
    options?: RenderOptions,
  ): Promise<RecordingImages>;
  /**
   * The montage channels of an EDF/BDF recording given as bytes (transferred), resampled
   * to params.sampleRateHz, in volts: the time-series dataset's input.
   */
  signal(bytes: Uint8Array, params: SpectrogramParams, ref: RecordingRef): Promise<RecordingSignal>;
}

const api: PreprocessWorkerApi = {
  ping() {
    return Promise.resolve(true);
  },
  async render(bytes, params, ref, options = {}) {
    const result = ref.format === "mat"
      ? await matRecordingImages(bytes, ref, params, { unitScale: options.unitScale ?? 1e-6 })
      : await recordingImages(bytesSource(bytes), params, { source: ref.path });
    // Hand the PNG buffers back without copying them.
    return transfer(result, result.windows.map((w) => w.png.buffer as ArrayBuffer));
  },
  async signal(bytes, params, ref) {
    const result = await recordingSignal(bytesSource(bytes), params, { source: ref.path });
    // Distinct buffers only: transferring one buffer twice throws.
    const buffers = new Set(result.signal.map((x) => x.buffer as ArrayBuffer));
    return transfer(result, [...buffers]);
  },
};

expose(api);
