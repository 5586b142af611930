/**
 * Scores a model on whole fields: each image is segmented as `deno task segment` does it
 * (tiles, merge, threshold, minimum area) and the final masks are compared with the ground
 * truth by metrics.ts, per image and pooled.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ProgressListener } from "../train/progress.ts";
import type { SegmentConfig } from "./config_schema.ts";
import { evaluateMasks, type MaskEvaluation } from "./metrics.ts";
import { IMAGENET_NORMALIZATION, type ImageNormalization } from "../image/normalization.ts";
import type { SegSample } from "./seg_dataset.ts";
import { segmentImage } from "./segment_image.ts";
import { startParallelTiles } from "./parallel_tiles.ts";

/** Whole-field metrics and what they were computed from. */
export interface FieldEvaluation extends MaskEvaluation {
  /** The inference settings the masks were made with (threshold, tiles, minimum area). */
  inference: SegmentConfig["infer"];
  images: number;
}

/**
 * Segments every sample's whole field and scores the final masks.
 *
 * @example
 * ```ts ignore
 * const report = await evaluateFields(model, split.test, config);
 * console.log(report.pooled.dice);
 * ```
 */
export async function evaluateFields(
  model: tf.LayersModel,
  samples: readonly SegSample[],
  config: SegmentConfig,
  options: {
    normalization?: ImageNormalization;
    onProgress?: ProgressListener;
    /** Starts a tile worker: with `infer.data_parallel`, two threads (parallel_tiles.ts). */
    createTileWorker?: () => Worker;
  } = {},
): Promise<FieldEvaluation> {
  const pairs: { id: string; pred: Uint8Array; truth: Uint8Array }[] = [];
  const parallel = await startParallelTiles(
    model,
    config.infer.data_parallel,
    options.createTileWorker,
  );
  try {
    for (const [i, sample] of samples.entries()) {
      const { mask } = await segmentImage(model, {
        width: sample.width,
        height: sample.height,
        channels: sample.channels,
        data: sample.image,
      }, {
        infer: config.infer,
        inputSize: config.data.input_size,
        normalization: options.normalization ?? IMAGENET_NORMALIZATION,
        parallel,
      });
      pairs.push({ id: sample.id, pred: mask, truth: sample.mask });
      options.onProgress?.({
        job: "segment",
        done: i + 1,
        total: samples.length,
        message: `whole fields (${sample.id})`,
      });
    }
  } finally {
    parallel?.dispose();
  }
  const report = evaluateMasks(pairs, { threshold: 0.5, emptyPolicy: config.metrics.empty });
  return { ...report, inference: config.infer, images: samples.length };
}
