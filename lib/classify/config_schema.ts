/**
 * The config of classifier training: `[data]`, `[model]` and `[train]` on top of `[run]`.
 * Defaults are the original project's values where the issue states them (embedding 384,
 * depth 3, layer_repeats 3, dropout 0.43, AdamW at 2e-4 with weight decay 0.009, cosine
 * schedule with 100 warmup steps, label smoothing 0.1).
 *
 * @module
 */
import { BASE_SCHEMA } from "../config/base_schema.ts";
import { extendSchema } from "../config/extend_schema.ts";
import { field } from "../config/field.ts";
import type { InferConfig } from "../config/schema.ts";

/**
 * The schema of `deno task train` for classifiers.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "../config/mod.ts";
 * import { CLASSIFY_SCHEMA } from "./config_schema.ts";
 * const config = resolveConfig(CLASSIFY_SCHEMA, { sets: ["train.lr=1e-3", "model.depth=2"] });
 * console.assert(config.train.lr === 1e-3 && config.model.embedding === 384);
 * ```
 */
export const CLASSIFY_SCHEMA = extendSchema(BASE_SCHEMA, {
  data: {
    root: field.stringOrList({
      default: "",
      doc: "Preprocessed dataset folder, or a list of them",
    }),
    tasks: field.strings({
      default: [],
      doc: "Labels to learn, by name; [] learns every label the dataset has",
    }),
    subject_centering: field.boolean({
      default: false,
      doc: "Subtract from every image the mean image of its subject's windows in the same " +
        "split (metadata column subject), in training, validation, test and evaluate. " +
        "Label-free, but it needs all of a subject's recordings together at test time",
    }),
  },
  model: {
    backbone: field.choice({
      choices: ["cnn_light", "cnn_1d"],
      default: "cnn_light",
      doc: "Trunk: cnn_light for spectrogram images, cnn_1d for raw [channels, samples] windows",
    }),
    channels: field.integer({
      default: 16,
      doc: "Filters of the stem convolution; block i has channels * 2^i",
      min: 1,
    }),
    embedding: field.integer({
      default: 384,
      doc: "Width of each task head (embedding -> 2x embedding -> GELU -> outputs)",
      min: 1,
    }),
    depth: field.integer({ default: 3, doc: "Blocks after the stem", min: 0 }),
    layer_repeats: field.integer({ default: 3, doc: "3x3 convolutions per block", min: 1 }),
    dropout: field.number({ default: 0.43, doc: "Dropout rate in the trunk", min: 0, max: 0.99 }),
    pooling: field.choice({
      choices: ["global", "rows"],
      default: "global",
      doc: "Trunk pooling: global average (the original) or per image row (keeps frequency)",
    }),
    activation: field.choice({
      choices: ["gelu", "gelu_new", "relu", "elu", "swish", "mish", "tanh"],
      default: "gelu",
      doc: "Activation of the block convolutions (gelu: exact erf form)",
    }),
  },
  train: {
    optimizer: field.choice({
      choices: ["adamw", "adam", "sgd"],
      default: "adamw",
      doc: "adamw (decoupled weight decay), adam, or sgd with momentum",
    }),
    lr: field.number({ default: 2e-4, doc: "Peak learning rate", min: 0 }),
    weight_decay: field.number({
      default: 0.009,
      doc: "adamw: decoupled decay per unit LR; sgd: L2 added to the gradient; adam: ignored",
      min: 0,
    }),
    beta1: field.number({ default: 0.9, doc: "Adam(W) first-moment decay", min: 0, max: 0.999999 }),
    beta2: field.number({
      default: 0.999,
      doc: "Adam(W) second-moment decay",
      min: 0,
      max: 0.999999,
    }),
    epsilon: field.number({ default: 1e-8, doc: "Adam(W) denominator epsilon", min: 0 }),
    momentum: field.number({ default: 0.9, doc: "SGD momentum", min: 0, max: 0.999999 }),
    schedule: field.choice({
      choices: ["constant", "linear", "cosine"],
      default: "cosine",
      doc: "Learning-rate decay after warmup",
    }),
    warmup_steps: field.integer({ default: 100, doc: "Linear warmup from 0 to lr", min: 0 }),
    min_lr_ratio: field.number({
      default: 0,
      doc: "Final learning rate as a fraction of lr (linear and cosine)",
      min: 0,
      max: 1,
    }),
    epochs: field.integer({ default: 10, doc: "Passes over the training rows", min: 1 }),
    max_steps: field.integer({
      default: 0,
      doc: "Optimizer steps; 0 derives them from epochs",
      min: 0,
    }),
    batch_size: field.integer({ default: 32, doc: "Rows per training step", min: 1 }),
    eval_batch_size: field.integer({ default: 64, doc: "Rows per evaluation batch", min: 1 }),
    grad_clip_norm: field.number({
      default: 1,
      doc: "Clip gradients to this global L2 norm; 0 turns clipping off",
      min: 0,
    }),
    loss: field.choice({
      choices: ["cross_entropy", "focal"],
      default: "cross_entropy",
      doc: "Loss of classification tasks (regression tasks use Huber)",
    }),
    label_smoothing: field.number({
      default: 0.1,
      doc: "Label smoothing of classification losses",
      min: 0,
      max: 0.99,
    }),
    focal_alpha: field.number({ default: 1, doc: "Focal loss alpha (weight)", min: 0 }),
    focal_gamma: field.number({ default: 2, doc: "Focal loss gamma (focusing)", min: 0 }),
    huber_delta: field.number({
      default: 1,
      doc: "Huber delta of regression losses, in standard deviations of the target",
      min: 1e-6,
    }),
    task_weights: field.numberRecord({
      default: {},
      doc: "Loss weight per task name; tasks not listed get 1 / number of tasks",
      min: 0,
    }),
    balanced_sampling_task: field.string({
      default: "",
      doc: 'Draw training rows class-balanced for this classification task; "" samples uniformly',
    }),
    eval_strategy: field.choice({
      choices: ["none", "steps", "epoch"],
      default: "epoch",
      doc: "When to evaluate on the validation split (also always at the end)",
    }),
    eval_steps: field.integer({
      default: 100,
      doc: "Steps between evaluations (eval_strategy=steps)",
      min: 1,
    }),
    checkpoint_strategy: field.choice({
      choices: ["none", "steps", "epoch"],
      default: "epoch",
      doc: "When to save the resumable `last` checkpoint; none also keeps no best checkpoints",
    }),
    checkpoint_steps: field.integer({
      default: 500,
      doc: "Steps between checkpoints (checkpoint_strategy=steps)",
      min: 1,
    }),
    checkpoint_total_limit: field.integer({
      default: 2,
      doc: "How many best checkpoints (by best_metric) to keep; `last` is not counted",
      min: 0,
    }),
    best_metric: field.string({
      default: "loss",
      doc: 'Validation metric that ranks checkpoints: "loss", or "<task>.<metric>" (e.g. age.mae)',
    }),
    early_stopping_patience: field.integer({
      default: 0,
      doc: "Stop after this many evaluations without improving best_metric; 0 never stops",
      min: 0,
    }),
    early_stopping_min_delta: field.number({
      default: 0,
      doc: "Smallest change of best_metric that counts as an improvement",
      min: 0,
    }),
    load_best_at_end: field.boolean({
      default: true,
      doc: "Save the best checkpoint's weights as model/ (else the final weights)",
    }),
    data_parallel: field.boolean({
      default: false,
      doc: "Split each batch between this thread and a worker (a second core for wasm/cpu)",
    }),
    log_steps: field.integer({ default: 10, doc: "Steps between history.jsonl lines", min: 1 }),
  },
});

/** A resolved classifier config. */
export type ClassifierConfig = InferConfig<typeof CLASSIFY_SCHEMA>;
/** Its `[train]` section: what `trainModel` reads. */
export type ClassifierTrainConfig = ClassifierConfig["train"];
/** Its `[model]` section. */
export type ClassifierModelConfig = ClassifierConfig["model"];
