/**
 * Worker (module) that renders one recording's spectrogram windows, exposed through
 * comlink, so `preprocess` uses every core (in Deno workers, and in browser workers for
 * the web app). A thin adapter over lib/data/recording_images.ts.
 *
 * @module
 */
import { expose, transfer } from "comlink";
import { bytesSource } from "../lib/eeg/edf/byte_source.ts";
import { type RecordingImages, recordingImages } from "../lib/data/recording_images.ts";
import type { SpectrogramParams } from "../lib/data/spectrogram_params.ts";

/** The API this worker exposes. */
export interface PreprocessWorkerApi {
  /** Renders the windows of an EDF/BDF file given as bytes (transferred, not copied). */
  render(bytes: Uint8Array, params: SpectrogramParams, source: string): Promise<RecordingImages>;
}

const api: PreprocessWorkerApi = {
  async render(bytes, params, source) {
    const result = await recordingImages(bytesSource(bytes), params, { source });
    // Hand the PNG buffers back without copying them.
    return transfer(result, result.windows.map((w) => w.png.buffer as ArrayBuffer));
  },
};

expose(api);
