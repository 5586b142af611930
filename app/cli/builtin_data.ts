/**
 * The built-in demo data: synthetic EEG written as a Math-layout EDF folder, then
 * preprocessed like real data. Made once under runs/.builtin/ and reused.
 *
 * @module
 */
import { join } from "node:path";
import { FileStorage } from "./file_storage.ts";
import { writeSyntheticMathFolder } from "../../lib/data/synthetic_dataset.ts";
import { listMathDataset } from "../../lib/data/adapters/math.ts";
import { preprocessDataset } from "../../lib/data/preprocess.ts";
import { recordingImages } from "../../lib/data/recording_images.ts";
import { recipeParams } from "../../lib/data/spectrogram_params.ts";
import { DB_BOUNDS } from "../../lib/eeg/spectrogram_image.ts";
import { bytesSource } from "../../lib/eeg/edf/byte_source.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import type { ProgressListener } from "../../lib/train/progress.ts";

/** Bump when the generator or recipe changes, so stale demo data is rebuilt. */
const _VERSION = "v2";
const _SUBJECTS = 20;

/**
 * Returns the folder of the preprocessed demo dataset, building it if needed.
 *
 * @example
 * ```ts ignore
 * const root = await ensureBuiltinDataset("runs", console.error);
 * ```
 */
export async function ensureBuiltinDataset(
  runsDir: string,
  onProgress?: ProgressListener,
): Promise<string> {
  const base = join(runsDir, ".builtin", `synthetic-${_VERSION}`);
  const edf = new FileStorage(join(base, "edf"));
  const datasetDir = join(base, "dataset");
  const dataset = new FileStorage(datasetDir);
  if (await dataset.exists("preprocess.json")) return datasetDir;
  if (!(await edf.exists("subject-info.csv"))) {
    onProgress?.({ job: "synthetic EEG", done: 0, total: 1, message: `${_SUBJECTS} subjects` });
    await writeSyntheticMathFolder(edf, { subjects: _SUBJECTS, seed: 2026, durationSeconds: 60 });
  }
  const params = recipeParams({
    twentieth: "A2-A1",
    dbRange: [...DB_BOUNDS.math] as [number, number],
  });
  await preprocessDataset(await listMathDataset(edf), {
    datasetName: "synthetic (built-in demo)",
    params,
    output: dataset,
    rng: new Rng(2026),
    // One woman and one man in each of val and test, so gender is measurable there too.
    stratifyBy: "gender",
    onProgress,
    provenance: {
      source:
        "lib/data/synthetic_eeg.ts (1/f background, alpha/theta/beta rhythms, line noise, blinks)",
    },
    render: async (ref) =>
      await recordingImages(bytesSource(await edf.readBytes(ref.path)), params, {
        source: ref.path,
      }),
  });
  return datasetDir;
}
