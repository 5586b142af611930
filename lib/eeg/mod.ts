/**
 * EEG: file formats, resampling, windows, STFT and spectrograms.
 *
 * @module
 */
export * from "./edf/mod.ts";
// Signals: multichannel representation, windows, filters, resampling, STFT, spectrograms.
export * from "./channel_signal.ts";
export * from "./window.ts";
export * from "./filter_design.ts";
export * from "./sosfiltfilt.ts";
export * from "./resample.ts";
export { Fft } from "./fft.ts";
export { planIstft, planStft } from "./stft_params.ts";
export type { IstftOptions, IstftPlan, StftOptions, StftPlan } from "./stft_params.ts";
export { stft, type StftResult } from "./stft.ts";
export { istft, type IstftResult } from "./istft.ts";
export { istftGpu, type IstftTensors, stftGpu, type StftTensors } from "./stft_gpu.ts";
export * from "./log_spectrogram.ts";
export { logSpectrogramGpu } from "./log_spectrogram_gpu.ts";
export * from "./mat/mod.ts";
