/**
 * The config of segmentation training and whole-field inference: `[data]`, `[augment]`,
 * `[model]`, `[train]`, `[infer]` and `[metrics]` on top of `[run]`. Defaults follow the
 * original project (../shared/RECIPES.md, "Segmentation"): 512 px crops and tiles resized
 * to a 256 px model input, ImageNet normalisation, threshold 0.75, regions of >= 64 px.
 *
 * @module
 */
import { BASE_SCHEMA } from "../config/base_schema.ts";
import { extendSchema } from "../config/extend_schema.ts";
import { field } from "../config/field.ts";
import type { InferConfig } from "../config/schema.ts";
import { CLASSIFY_SCHEMA } from "../classify/config_schema.ts";

// The optimiser, schedule, evaluation and checkpoint settings of the shared training loop;
// the classifier-only ones (label smoothing, focal loss, task weights...) are left out.
const {
  loss: _loss,
  label_smoothing: _smoothing,
  focal_alpha: _alpha,
  focal_gamma: _gamma,
  huber_delta: _huber,
  task_weights: _weights,
  balanced_sampling_task: _balanced,
  data_parallel: _parallel,
  ...SHARED_TRAIN_FIELDS
} = CLASSIFY_SCHEMA.train;

/**
 * The schema of segmentation configs (`deno task train` with a config/segmentation preset,
 * and `deno task segment`).
 *
 * @example
 * ```ts
 * import { resolveConfig } from "../config/mod.ts";
 * import { SEGMENT_SCHEMA } from "./config_schema.ts";
 * const config = resolveConfig(SEGMENT_SCHEMA, { sets: ["infer.threshold=0.5"] });
 * console.assert(config.infer.threshold === 0.5 && config.data.input_size === 256);
 * ```
 */
export const SEGMENT_SCHEMA = extendSchema(BASE_SCHEMA, {
  data: {
    images: field.string({
      default: "",
      doc: "Folder of images (or one multi-page TIFF stack, Lucchi layout)",
    }),
    masks: field.string({
      default: "",
      doc: "Folder of masks named <image stem><mask_suffix>.<ext> (or a TIFF stack)",
    }),
    mask_suffix: field.string({
      default: "_mask",
      doc: 'What a mask file adds to its image\'s stem ("" when the stems are equal)',
    }),
    subject_pattern: field.string({
      default: "^([^_]+)_",
      doc: 'RegExp whose first group is the subject in a file stem (T19_Image0 -> "T19")',
    }),
    channels: field.integer({
      default: 3,
      doc: "Model input channels: 3 (RGB histology) or 1 (grey electron microscopy)",
      min: 1,
      max: 3,
    }),
    mask_threshold: field.integer({
      default: 127,
      doc: "Mask pixels above this grey value are foreground (JPEG masks have artefacts)",
      min: 0,
      max: 254,
    }),
    val_subjects: field.strings({
      default: [],
      doc: "Subjects held out for validation; [] holds out val_fraction of the images",
    }),
    test_subjects: field.strings({
      default: [],
      doc: "Subjects held out for the final whole-field test (never trained or validated on)",
    }),
    val_fraction: field.number({
      default: 0.2,
      doc: "Share of the training images held out for validation when val_subjects is []",
      min: 0,
      max: 0.9,
    }),
    crop_size: field.integer({
      default: 512,
      doc: "Side of the source window of a training crop, in image pixels",
      min: 8,
    }),
    input_size: field.integer({
      default: 256,
      doc: "Model input side; crops and tiles are resized to it",
      min: 32,
    }),
    positive_fraction: field.number({
      default: 0.6,
      doc: "Chance that a training crop is centred on a foreground pixel",
      min: 0,
      max: 1,
    }),
    positive_jitter: field.number({
      default: 0,
      doc: "Shift of a positive crop, as a fraction of half the crop: 0 centred, 1 anywhere in it",
      min: 0,
      max: 1,
    }),
    crops_per_epoch: field.integer({
      default: 256,
      doc: "Random training crops per epoch",
      min: 1,
    }),
  },
  augment: {
    enabled: field.boolean({ default: true, doc: "Augment training crops" }),
    flips: field.boolean({ default: true, doc: "Random horizontal and vertical flips" }),
    rot90: field.boolean({ default: true, doc: "Random 90-degree rotations" }),
    rotate_degrees: field.number({
      default: 15,
      doc: "Free rotation, uniform in +-this many degrees (0: off)",
      min: 0,
      max: 180,
    }),
    scale: field.number({
      default: 0.15,
      doc: "Crop size jitter, uniform factor in [1 - scale, 1 + scale]",
      min: 0,
      max: 0.9,
    }),
    brightness: field.number({
      default: 0.1,
      doc: "Brightness jitter, added in [0, 1] pixel units",
      min: 0,
      max: 1,
    }),
    contrast: field.number({
      default: 0.1,
      doc: "Contrast jitter, factor in [1 - contrast, 1 + contrast] around the crop mean",
      min: 0,
      max: 1,
    }),
  },
  model: {
    encoder: field.choice({
      choices: ["resnet18", "resnet34"],
      default: "resnet18",
      doc: "Encoder block layout: resnet18 [2,2,2,2] or resnet34 [3,4,6,3] basic blocks",
    }),
    widths: field.numbers({
      default: [16, 32, 64, 128],
      doc: "Channels of the four encoder stages (the stem has the first)",
      min: 1,
    }),
    decoder: field.choice({
      choices: ["upsample", "transposed"],
      default: "upsample",
      doc: "Decoder upsampling: 2x resize + 3x3 conv, or a stride-2 transposed conv",
    }),
    output: field.choice({
      choices: ["sigmoid", "softmax"],
      default: "sigmoid",
      doc: "One-channel sigmoid probability or two-channel softmax",
    }),
    norm: field.choice({
      choices: ["group", "batch"],
      default: "group",
      doc: "Normalisation layers (group norm does not depend on the small CPU batch sizes)",
    }),
    encoder_from: field.string({
      default: "",
      doc: "Run folder whose encoder weights start this model (transfer learning)",
    }),
  },
  train: {
    ...SHARED_TRAIN_FIELDS,
    loss: field.choice({
      choices: ["bce", "dice", "bce_dice", "tversky"],
      default: "bce_dice",
      doc: "Binary cross-entropy, soft Dice, their sum, or Tversky",
    }),
    dice_reduction: field.choice({
      choices: ["batch", "image"],
      default: "batch",
      doc: "Dice/Tversky ratio over the whole batch (smp's DiceLoss) or per image, averaged",
    }),
    tversky_alpha: field.number({ default: 0.5, doc: "Tversky weight of false positives", min: 0 }),
    tversky_beta: field.number({ default: 0.5, doc: "Tversky weight of false negatives", min: 0 }),
    freeze_encoder_steps: field.integer({
      default: 0,
      doc: "Steps that train only the decoder (a transferred encoder stays frozen)",
      min: 0,
    }),
    encoder_lr_scale: field.number({
      default: 1,
      doc: "Encoder learning rate as a fraction of train.lr after the frozen steps",
      min: 0,
    }),
    lr: field.number({ default: 1e-3, doc: "Peak learning rate", min: 0 }),
    weight_decay: field.number({ default: 1e-4, doc: "AdamW decoupled weight decay", min: 0 }),
    warmup_steps: field.integer({ default: 20, doc: "Linear warmup from 0 to lr", min: 0 }),
    batch_size: field.integer({ default: 8, doc: "Crops per training step", min: 1 }),
    eval_batch_size: field.integer({ default: 8, doc: "Crops per validation batch", min: 1 }),
    data_parallel: field.boolean({
      default: false,
      doc: "Split each batch between this thread and a worker (a second core for wasm/cpu); " +
        'with dice_reduction = "batch" the Dice term is the mean of the two halves\' ratios',
    }),
    best_metric: field.string({
      default: "mask.dice",
      doc: 'Validation metric that ranks checkpoints: "loss" or "mask.<metric>"',
    }),
  },
  infer: {
    tile: field.integer({ default: 512, doc: "Tile side in image pixels", min: 8 }),
    overlap: field.integer({ default: 0, doc: "Overlap of neighbouring tiles in pixels", min: 0 }),
    batch_size: field.integer({ default: 4, doc: "Tiles per forward pass", min: 1 }),
    merge: field.choice({
      choices: ["max", "mean"],
      default: "max",
      doc: "How overlapping tile probabilities merge: per-pixel max or overlap-weighted mean",
    }),
    tta: field.boolean({
      default: false,
      doc: "Test-time augmentation: average each tile's prediction over its 4 flips",
    }),
    data_parallel: field.boolean({
      default: true,
      doc: "Split each batch of tiles between this thread and a worker on the CPU backends " +
        "(a second core; the same probabilities), where the host can start one",
    }),
    threshold: field.number({
      default: 0.75,
      doc: "Probability above which a pixel is foreground",
      min: 0,
      max: 1,
    }),
    min_area: field.integer({ default: 64, doc: "Smallest region kept, in pixels", min: 0 }),
    padding: field.integer({ default: 16, doc: "Padding of each region's crop box", min: 0 }),
  },
  metrics: {
    threshold: field.number({
      default: 0.5,
      doc: "Binarisation of predictions for validation metrics on crops",
      min: 0,
      max: 1,
    }),
    empty: field.choice({
      choices: ["one", "zero", "nan"],
      default: "one",
      doc: "A ratio with nothing to count (e.g. Dice of two empty masks): 1.0, 0 or NaN",
    }),
  },
});

/** A resolved segmentation config. */
export type SegmentConfig = InferConfig<typeof SEGMENT_SCHEMA>;
