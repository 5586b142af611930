/**
 * The segmentation half of `deno task train` (a config with data.images/data.masks): trains
 * the U-Net, writes the run folder and prints the whole-field test metrics.
 *
 * @module
 */
import { FileStorage } from "../file_storage.ts";
import { stoppedLine, withTrainingSession } from "../training_session.ts";
import { createGradientWorker } from "../gradient_worker.ts";
import { createTileWorker } from "../tile_worker.ts";
import { runStorage, segLocation } from "../seg_locations.ts";
import { initBackend } from "../../../lib/runtime/backend.ts";
import type { SegmentConfig } from "../../../lib/segment/config_schema.ts";
import { runSegmentationJob } from "../../../lib/segment/train_job.ts";
import { formatFieldEvaluation } from "../format_field_evaluation.ts";

/** Trains a segmentation run into `out`; returns the exit code. */
export async function trainSegmentation(
  config: SegmentConfig,
  out: string,
  options: { resume: boolean; log: (message: string) => void },
): Promise<number> {
  const { log } = options;
  const images = await segLocation(config.data.images, "data.images");
  const masks = await segLocation(config.data.masks, "data.masks");
  const encoderRun = config.model.encoder_from === ""
    ? undefined
    : await runStorage(config.model.encoder_from, "model.encoder_from");
  const backend = await initBackend({ backend: config.run.backend });
  log(`backend: ${backend.backend} (${backend.reason})`);
  const result = await withTrainingSession(log, ({ onProgress, signal }) =>
    runSegmentationJob({
      config,
      images,
      masks,
      encoderRun,
      runStorage: new FileStorage(out),
      backend,
      resume: options.resume,
      onProgress,
      signal,
      runInfo: { versions: { deno: Deno.version.deno } },
      createWorker: createGradientWorker,
      createTileWorker,
      onStart: ({ train, val, test, copied }) =>
        log(
          `images: train ${train.length}, val ${val.length}, test ${test.length}` +
            (copied === undefined ? "" : `; encoder layers copied: ${copied}`) +
            `; run folder: ${out}`,
        ),
    }));
  if (result.train.stopReason === "aborted") {
    log(stoppedLine(result.train.steps, result.train.totalSteps, out));
    return 1;
  }
  const best = result.train.best?.tasks.mask;
  if (best !== undefined) {
    console.log(
      `validation (best step ${result.train.best!.step}): Dice ${
        (best as unknown as { dice: number }).dice.toFixed(4)
      } on ${best.n} crops`,
    );
  }
  if (result.test !== undefined) console.log(formatFieldEvaluation(result.test));
  else log("no test subjects (data.test_subjects): whole-field test skipped");
  console.log(`\nrun folder: ${out}`);
  console.log(
    `next: deno task segment --run ${out} --input IMAGE_OR_DIR [--masks DIR] --out DIR`,
  );
  return 0;
}
