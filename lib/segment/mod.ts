/**
 * Segmentation: the U-Net (ResNet-style encoder, skip-connected decoder), its losses and
 * encoder transfer; image/mask datasets, subject splits and augmented crops; the metrics
 * module (the single source of truth for Dice, IoU, ...); tiled whole-field inference,
 * regions, quantification and overlays; the training job, the config schema and the
 * settings a trained run is segmented with.
 *
 * @module
 */
export * from "./config_schema.ts";
export * from "./unet.ts";
export * from "./encoder_transfer.ts";
export * from "./losses.ts";
export * from "./metrics.ts";
export * from "./seg_dataset.ts";
export * from "./seg_splits.ts";
export * from "./crop_batch_source.ts";
export * from "./mask_objective.ts";
export * from "./tiling.ts";
export * from "./segment_field.ts";
export * from "./regions.ts";
export * from "./quantify.ts";
export * from "./overlay.ts";
export * from "./segment_image.ts";
export * from "./evaluate_fields.ts";
export * from "./segment_files.ts";
export * from "./run_settings.ts";
export * from "./segment_run.ts";
export * from "./train_job.ts";
