/**
 * The `segment` job with a trained run's model, as `deno task segment` and the web app's
 * segment worker run it: {@linkcode segmentFiles} with the normalisation the run was trained
 * with, and the model disposed afterwards.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { runNormalization } from "./run_settings.ts";
import {
  segmentFiles,
  type SegmentFilesOptions,
  type SegmentFilesReport,
} from "./segment_files.ts";

/** Options of {@linkcode segmentWithRun}: those of segmentFiles but the model and normalisation. */
export type SegmentWithRunOptions = Omit<SegmentFilesOptions, "model" | "normalization">;

/**
 * Segments `options.images` with a run's loaded model, normalised as the run was trained
 * (run.json's `inputNormalization`, else ImageNet's), then disposes the model, whether or
 * not the segmentation succeeded.
 *
 * @example
 * ```ts ignore
 * const info = await run.readRunInfo();
 * const config = segmentConfigFromRun(info.config);
 * const report = await segmentWithRun(await run.loadModel(), info, {
 *   images, config, out, readFile: Deno.readFile,
 * });
 * ```
 */
export async function segmentWithRun(
  model: tf.LayersModel,
  runInfo: Readonly<Record<string, unknown>>,
  options: SegmentWithRunOptions,
): Promise<SegmentFilesReport> {
  try {
    return await segmentFiles({ ...options, model, normalization: runNormalization(runInfo) });
  } finally {
    model.dispose();
  }
}
