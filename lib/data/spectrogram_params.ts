/**
 * The parameters of the spectrogram recipe (RECIPES.md steps 2-9), resolved per dataset.
 *
 * @module
 */
import { COMMON_CHANNELS_19, type MissingChannelPolicy } from "../eeg/channel_map.ts";
import { logSpectrogramHop } from "../eeg/log_spectrogram.ts";
import type { SpectrogramVariant } from "../eeg/spectrogram_image.ts";

/** Everything a recording needs to become spectrogram windows. */
export interface SpectrogramParams {
  /** The 20 montage channels in order (19 common + the dataset's 20th). */
  montage: string[];
  missingChannels: MissingChannelPolicy;
  /** Common rate every recording is resampled to. RECIPES: 125 Hz. */
  sampleRateHz: number;
  /** Window length and shift in samples at `sampleRateHz`. RECIPES: 2048 and 1024. */
  windowSamples: number;
  shiftSamples: number;
  /** STFT hop of the log-frequency transform. RECIPES step 5: 172 (176 for SEED). */
  hop: number;
  dbRange: [number, number];
  variant: SpectrogramVariant;
}

/**
 * Builds the recipe's parameters for a dataset's 20th channel, dB bounds and hop rule.
 *
 * @example
 * ```ts
 * import { recipeParams } from "./spectrogram_params.ts";
 * const p = recipeParams({ twentieth: "A2-A1", dbRange: [-127.028, -44.068] });
 * console.assert(p.hop === 172 && p.montage.length === 20);
 * ```
 */
export function recipeParams(options: {
  twentieth: string;
  dbRange: [number, number];
  hopMultiple?: number;
  variant?: SpectrogramVariant;
  missingChannels?: MissingChannelPolicy;
}): SpectrogramParams {
  return {
    montage: [...COMMON_CHANNELS_19, options.twentieth],
    missingChannels: options.missingChannels ?? "error",
    sampleRateHz: 125,
    windowSamples: 2048,
    shiftSamples: 1024,
    hop: logSpectrogramHop({ multiple: options.hopMultiple ?? 4 }),
    dbRange: options.dbRange,
    variant: options.variant ?? "db",
  };
}

/** Number of whole windows in `samples` (RECIPES step 4): floor((n - L) / shift) + 1. */
export function windowCount(samples: number, params: SpectrogramParams): number {
  return samples < params.windowSamples
    ? 0
    : Math.floor((samples - params.windowSamples) / params.shiftSamples) + 1;
}
