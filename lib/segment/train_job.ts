/**
 * The segmentation training job, the same in the CLI and in a browser worker: load image and
 * mask pairs, split them by subject, build the U-Net (optionally starting from another run's
 * encoder), train it through the shared loop on random augmented crops with validation Dice
 * on fixed crops, then segment the held-out test subjects' whole fields and score them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ClassifierTrainConfig } from "../classify/config_schema.ts";
import { CLASSIFY_SCHEMA } from "../classify/config_schema.ts";
import { schemaDefaults } from "../config/schema.ts";
import type { LabelSpec } from "../data/labels.ts";
import { RunFolder } from "../io/run_folder.ts";
import type { Storage } from "../io/storage.ts";
import { Rng } from "../runtime/rng.ts";
import { startDataParallel, type TrainingJobHost } from "../train/job_options.ts";
import { trainModel, type TrainResult } from "../train/train_model.ts";
import { DataParallelGradients } from "../train/data_parallel.ts";
import type { SegmentConfig } from "./config_schema.ts";
import { fixedCropSource, randomCropSource } from "./crop_batch_source.ts";
import type { CropOptions } from "../image/crop_sampler.ts";
import { copyEncoderWeights, encoderVariableNames } from "./encoder_transfer.ts";
import { segmentationLoss } from "./losses.ts";
import { maskObjective } from "./mask_objective.ts";
import { IMAGENET_NORMALIZATION } from "../image/normalization.ts";
import { loadSegmentationPairs, type SegLocation, type SegSample } from "./seg_dataset.ts";
import { splitSamples } from "./seg_splits.ts";
import { buildUnet } from "./unet.ts";
import { evaluateFields, type FieldEvaluation } from "./evaluate_fields.ts";

/** The one "task" of a mask model: per-pixel foreground (names its loss and metrics). */
export const MASK_TASK: LabelSpec = {
  name: "mask",
  kind: "classification",
  classes: ["background", "foreground"],
  column: "mask",
  description: "Per-pixel foreground (the U-Net's output layer is named mask)",
};

/** Options of {@linkcode runSegmentationJob}. */
export interface SegmentationJobOptions extends TrainingJobHost {
  config: SegmentConfig;
  /** `data.images` and `data.masks`, resolved by the caller to a storage and a path. */
  images: SegLocation;
  masks: SegLocation;
  /** The run folder named by `model.encoder_from`, when it is set. */
  encoderRun?: Storage;
  /** Called once the data is loaded and split (for a log line). */
  onStart?: (facts: { train: string[]; val: string[]; test: string[]; copied?: number }) => void;
}

/** What the job did. */
export interface SegmentationJobResult {
  train: TrainResult;
  /** Whole-field metrics of the saved model on the test subjects, when there are any. */
  test?: FieldEvaluation;
}

/** The [train] section as the shared loop reads it (classifier-only keys at neutral values). */
export function loopConfig(config: SegmentConfig): ClassifierTrainConfig {
  const {
    loss: _loss,
    tversky_alpha: _a,
    tversky_beta: _b,
    dice_reduction: _r,
    data_parallel: _p,
    freeze_encoder_steps: _f,
    encoder_lr_scale: _s,
    ...shared
  } = config.train;
  return {
    ...schemaDefaults(CLASSIFY_SCHEMA).train,
    ...shared,
    label_smoothing: 0,
    task_weights: {},
    balanced_sampling_task: "",
    data_parallel: false,
  };
}

/** The crop recipe of a config: training (augmented) or validation (plain). */
export function cropOptions(config: SegmentConfig, augment: boolean): CropOptions {
  const a = config.augment;
  const on = augment && a.enabled;
  return {
    inputSize: config.data.input_size,
    cropSize: config.data.crop_size,
    augment: on,
    positiveProb: config.data.positive_fraction,
    positiveJitter: on ? config.data.positive_jitter : 0,
    flipProb: on && a.flips ? 0.5 : 0,
    rotate90: on && a.rot90,
    rotateDegrees: on ? a.rotate_degrees : 0,
    scaleJitter: on ? a.scale : 0,
    brightness: on ? a.brightness : 0,
    contrast: on ? a.contrast : 0,
    norm: IMAGENET_NORMALIZATION,
  };
}

/**
 * Runs the job.
 *
 * @example
 * ```ts ignore
 * const result = await runSegmentationJob({ config, images, masks, runStorage, backend });
 * ```
 */
export async function runSegmentationJob(
  options: SegmentationJobOptions,
): Promise<SegmentationJobResult> {
  const { config } = options;
  const channels = config.data.channels === 1 ? 1 : 3;
  if (config.data.channels === 2) {
    throw new RangeError("Cannot load images as data.channels must be 1 or 3: current value is 2");
  }
  const samples = await loadSegmentationPairs(options.images, options.masks, {
    maskSuffix: config.data.mask_suffix,
    subjectPattern: config.data.subject_pattern,
    channels,
    threshold: config.data.mask_threshold,
    onProgress: options.onProgress,
  });
  const split = splitSamples(samples, {
    valSubjects: config.data.val_subjects,
    testSubjects: config.data.test_subjects,
    valFraction: config.data.val_subjects.length > 0 ? 0 : config.data.val_fraction,
    seed: config.run.seed,
  });
  if (split.train.length === 0) {
    throw new RangeError("Cannot train as the train split is empty: current value is 0 images");
  }
  const train = randomCropSource(split.train, {
    length: config.data.crops_per_epoch,
    seed: new Rng(config.run.seed).fork("crops").uint32(),
    crop: cropOptions(config, true),
  });
  const val = fixedCropSource(split.val, {
    cropSize: config.data.crop_size,
    inputSize: config.data.input_size,
    norm: IMAGENET_NORMALIZATION,
  });
  const model = buildUnet({
    inputSize: config.data.input_size,
    inputChannels: channels,
    encoder: config.model.encoder,
    widths: config.model.widths,
    decoder: config.model.decoder,
    output: config.model.output,
    norm: config.model.norm,
    seed: config.run.seed,
  });
  let copied: number | undefined;
  let paramLrScale: ((name: string, step: number) => number) | undefined;
  let parallel: DataParallelGradients | undefined;
  try {
    if (options.encoderRun !== undefined && !options.resume) {
      const source = await new RunFolder(options.encoderRun).loadModel();
      try {
        copied = copyEncoderWeights(source, model).copied;
      } finally {
        source.dispose();
      }
    }
    const encoder = encoderVariableNames(model);
    const { freeze_encoder_steps: frozen, encoder_lr_scale: slower } = config.train;
    if (frozen > 0 || slower !== 1) {
      paramLrScale = (name, step) => encoder.has(name) ? (step < frozen ? 0 : slower) : 1;
    }
    options.onStart?.({
      train: split.train.map((s) => s.id),
      val: split.val.map((s) => s.id),
      test: split.test.map((s) => s.id),
      copied,
    });
    const runFolder = new RunFolder(options.runStorage);
    const lossOptions = {
      alpha: config.train.tversky_alpha,
      beta: config.train.tversky_beta,
      reduction: config.train.dice_reduction,
    };
    // A second core for the CPU backends. The worker computes every gradient; the loop
    // drops those of frozen encoder variables.
    parallel = await startDataParallel(options, config.train.data_parallel, {
      model,
      objective: { kind: "mask", loss: config.train.loss, lossOptions, task: MASK_TASK.name },
    });
    const dataParallel = parallel !== undefined;
    const result = await trainModel({
      model,
      data: { train, val: val.size > 0 ? val : undefined },
      tasks: [MASK_TASK],
      config: loopConfig(config),
      runFolder,
      rng: new Rng(config.run.seed).fork("train"),
      resume: options.resume,
      onProgress: options.onProgress,
      signal: options.signal,
      objective: maskObjective({
        loss: segmentationLoss(config.train.loss, lossOptions),
        threshold: config.metrics.threshold,
        emptyPolicy: config.metrics.empty,
        batchSize: config.train.eval_batch_size,
      }),
      paramLrScale,
      gradients: parallel?.compute.bind(parallel),
      runInfo: {
        ...options.runInfo,
        kind: "segmentation",
        config,
        versions: { tfjs: tf.version.tfjs, ...(options.runInfo?.versions as object) },
        backend: options.backend,
        seed: config.run.seed,
        data: { images: options.images.dir, masks: options.masks.dir },
        splits: {
          train: split.train.map((s) => s.id),
          val: split.val.map((s) => s.id),
          test: split.test.map((s) => s.id),
        },
        inputNormalization: IMAGENET_NORMALIZATION,
        encoderFrom: config.model.encoder_from || null,
        encoderLayersCopied: copied ?? null,
        dataParallel,
      },
    });
    if (result.stopReason === "aborted" || split.test.length === 0) return { train: result };
    // Whole-field metrics of the model as saved (the best checkpoint's weights by default).
    const saved = await runFolder.loadModel();
    let test: FieldEvaluation;
    try {
      test = await evaluateFields(saved, split.test, config, {
        onProgress: options.onProgress,
        createTileWorker: options.createTileWorker,
      });
    } finally {
      saved.dispose();
    }
    const summary = await runFolder.readSummary();
    await runFolder.writeSummary({ ...summary, test_fields: test });
    return { train: result, test };
  } finally {
    parallel?.dispose();
    model.dispose();
  }
}

/** The test samples of a split (exported for the segment command's own evaluation). */
export type { SegSample };
