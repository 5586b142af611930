/**
 * Test support: a tiny spectrogram dataset made by the real path (synthetic EDF files from
 * our writer -> preprocessDataset with in-process rendering), written to any Storage.
 *
 * @module
 */
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import type { Storage } from "../../lib/io/storage.ts";
import { writeSyntheticMathFolder } from "../../lib/data/synthetic_dataset.ts";
import { listMathDataset } from "../../lib/data/adapters/math.ts";
import { preprocessDataset } from "../../lib/data/preprocess.ts";
import { recordingImages } from "../../lib/data/recording_images.ts";
import { recipeParams } from "../../lib/data/spectrogram_params.ts";
import { bytesSource } from "../../lib/eeg/edf/byte_source.ts";
import { DB_BOUNDS } from "../../lib/eeg/spectrogram_image.ts";
import { Rng } from "../../lib/runtime/rng.ts";

/**
 * Writes `subjects` synthetic subjects (rest + task, `durationSeconds` each) as EDF into
 * `edf` (memory by default) and their spectrogram dataset into `output`.
 */
export async function makeTinyDataset(
  output: Storage,
  options: {
    subjects?: number;
    durationSeconds?: number;
    seed?: number;
    splitFractions?: number[];
    edf?: Storage;
  } = {},
): Promise<void> {
  const edf = options.edf ?? new MemoryStorage();
  await writeSyntheticMathFolder(edf, {
    subjects: options.subjects ?? 6,
    durationSeconds: options.durationSeconds ?? 20,
    seed: options.seed ?? 1,
  });
  const params = recipeParams({
    twentieth: "A2-A1",
    dbRange: [...DB_BOUNDS.math] as [number, number],
  });
  await preprocessDataset(await listMathDataset(edf), {
    datasetName: "tiny",
    params,
    output,
    rng: new Rng(0),
    splitFractions: options.splitFractions ?? [0.5, 0.17, 0.33],
    render: async (ref) =>
      await recordingImages(bytesSource(await edf.readBytes(ref.path)), params, {
        source: ref.path,
      }),
  });
}
