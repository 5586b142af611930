/**
 * One trial of a MATLAB recording (SEED's `<initials>_eegN`, channels x samples) -> its
 * spectrogram windows, as {@linkcode recordingImages} does for EDF/BDF files: decode only
 * the trial's variable, map the montage by channel name (RECIPES.md step 2, with the
 * 10-20 aliases), scale to volts, resample to the common rate and render the windows.
 *
 * @module
 */
import { getMatRow, listMatVariables, readMat } from "../eeg/mat/mod.ts";
import { mapChannels } from "../eeg/channel_map.ts";
import { channelsToImages, type RecordingImages } from "./recording_images.ts";
import type { RecordingRef } from "./recording_ref.ts";
import type { SpectrogramParams } from "./spectrogram_params.ts";

/** Options of {@linkcode matRecordingImages}. */
export interface MatRecordingOptions {
  /** Multiply the stored values by this to get volts (SEED, in microvolts: 1e-6). */
  unitScale: number;
}

/**
 * Renders the windows of the trial `ref.variable` of a MAT file given as bytes. The ref
 * must say the sample rate and the row labels (`sampleRateHz`, `channelNames`), as the
 * SEED adapter's do.
 *
 * Rejects with the MAT reader's errors (a `MatFormatError` for v7.3/HDF5 or corrupt
 * files, a `RangeError` naming the file's variables when the trial is not there), with a
 * `RangeError` when the matrix is not channels x samples or a montage channel is missing
 * (policy "error"), and with a `RangeError` for a ref without a variable (a file in which
 * the adapter found no trial).
 *
 * @example
 * ```ts ignore
 * const { windows } = await matRecordingImages(bytes, ref, params, { unitScale: 1e-6 });
 * ```
 */
export async function matRecordingImages(
  bytes: Uint8Array,
  ref: RecordingRef,
  params: SpectrogramParams,
  options: MatRecordingOptions,
): Promise<RecordingImages> {
  const source = ref.recording;
  const { unitScale } = options;
  const rate = ref.sampleRateHz, labels = ref.channelNames;
  if (ref.format !== "mat") {
    throw new TypeError(
      `Cannot read ${source} as a MAT recording as its format must be "mat": current ` +
        `value is "${ref.format}"`,
    );
  }
  if (!(Number.isFinite(unitScale) && unitScale > 0)) {
    throw new RangeError(
      `Cannot read ${source} as the unit scale to volts must be a positive number: current ` +
        `value is ${unitScale}`,
    );
  }
  if (rate === undefined || !(Number.isFinite(rate) && rate > 0)) {
    throw new RangeError(
      `Cannot read ${source} as a MAT recording needs its sample rate (ref.sampleRateHz): ` +
        `current value is ${rate}`,
    );
  }
  if (labels === undefined || labels.length === 0) {
    throw new RangeError(
      `Cannot read ${source} as a MAT recording needs its row labels (ref.channelNames)`,
    );
  }
  if (ref.variable === undefined) {
    // Throws the reader's own error for a file it cannot read (v7.3, corrupt).
    const names = (await listMatVariables(bytes)).map((v) => v.name);
    throw new RangeError(
      `Cannot read ${ref.path} as it holds no trial variables (<name>_eeg<N>): current ` +
        `variables are ${names.length > 0 ? names.join(", ") : "none"}`,
    );
  }
  const array = (await readMat(bytes, { variables: [ref.variable] })).get(ref.variable)!;
  const [rows, samples] = array.dims;
  if (array.dims.length !== 2 || rows !== labels.length || array.className === "char") {
    throw new RangeError(
      `Cannot read ${source} as it must be a numeric ${labels.length} x samples matrix ` +
        `(one row per channel): current value is ${array.className} ${array.dims.join(" x ")}`,
    );
  }
  const { indices, filled } = mapChannels(labels, params.montage, {
    missing: params.missingChannels,
    source,
  });
  const converted = new Map<number, Float64Array>();
  const row = (i: number): Float64Array => {
    let volts = converted.get(i);
    if (volts === undefined) {
      volts = new Float64Array(samples);
      const data = array.data;
      if (data instanceof Float64Array) {
        // Doubles (SEED): scaled in double precision, column-major gather.
        for (let c = 0; c < samples; c++) volts[c] = data[i + c * rows] * unitScale;
      } else {
        const values = getMatRow(array, i);
        for (let c = 0; c < samples; c++) volts[c] = values[c] * unitScale;
      }
      converted.set(i, volts);
    }
    return volts;
  };
  // A channel listed twice in the montage (SEED's T6 and P8) shares its row.
  const volts = indices.map((i) => i < 0 ? new Float64Array(samples) : row(i));
  const warnings: string[] = [];
  if (filled.length > 0) {
    warnings.push(`${source}: channels filled with zeros: ${filled.join(", ")}`);
  }
  return {
    sourceRateHz: rate,
    durationSeconds: samples / rate,
    windows: channelsToImages(volts, rate, params),
    warnings,
  };
}
