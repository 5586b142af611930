/**
 * The config of `deno task preprocess`: which dataset, where, and the recipe's parameters.
 * Presets live in config/data/ (math, parkinsons, seed, synthetic, one per image
 * variant, and math-timeseries for the time-series output).
 *
 * @module
 */
import { BASE_SCHEMA, extendSchema, field } from "../config/mod.ts";

/** Schema of the preprocess config. */
export const PREPROCESS_SCHEMA = extendSchema(BASE_SCHEMA, {
  dataset: {
    name: field.choice({
      choices: ["math", "parkinsons", "seed", "folder"],
      default: "math",
      doc: "Dataset layout: math (SubjectNN_1/_2.edf + subject-info.csv), parkinsons (BIDS), " +
        "seed (SEED's <subject>_<date>.mat + label.mat), folder (any EDF/BDF + a labels CSV)",
    }),
    root: field.string({ default: "", doc: "Folder of the raw recordings" }),
    output: field.choice({
      choices: ["images", "timeseries"],
      default: "images",
      doc: "What to write: spectrogram PNGs (images) or z-scored 20 x 2048 float32 windows " +
        "with train-split normalization.json (timeseries; EDF/BDF only)",
    }),
    twentieth_channel: field.string({
      default: "A2-A1",
      doc: "The 20th image channel after the 19 common 10-20 channels",
    }),
    missing_channels: field.choice({
      choices: ["error", "zeros"],
      default: "error",
      doc: "A montage channel the recording lacks: an error, or filled with zeros (and reported)",
    }),
    labels_csv: field.string({
      default: "labels.csv",
      doc: 'folder datasets: CSV with "file" or "subject" and one column per label',
    }),
    participants: field.string({
      default: "participants.csv",
      doc: "seed: CSV under the root with subject, age, gender (F/M); missing = no such labels",
    }),
    sample_rate_hz: field.number({
      default: 200,
      min: 1e-3,
      doc: "MATLAB datasets (seed) only, which store no rate: Hz of the trials (SEED: 200)",
    }),
    unit_scale: field.number({
      default: 1e-6,
      min: 1e-15,
      doc: "MATLAB datasets (seed) only: factor from stored values to volts (SEED, uV: 1e-6)",
    }),
  },
  spectrogram: {
    variant: field.choice({
      choices: ["db", "db-iq", "db-polar"],
      default: "db",
      doc: "Image variant: greyscale dB, or RGB [dB, Re, Im] / [dB, |X|, phase]",
    }),
    min_db: field.number({ default: -127.028, doc: "Lower dB bound (volts); math default" }),
    max_db: field.number({ default: -44.068, doc: "Upper dB bound (volts); math default" }),
    hop_multiple: field.integer({
      default: 4,
      min: 1,
      doc: "The log-STFT hop is the smallest multiple of this giving <= 12 frames (SEED: 8)",
    }),
  },
  split: {
    names: field.strings({ default: ["train", "val", "test"], doc: "Split names, in order" }),
    fractions: field.numbers({ default: [0.8, 0.1, 0.1], doc: "Subject fraction per split" }),
    stratify_by: field.string({ default: "", doc: 'Label to stratify subjects by ("" = none)' }),
  },
});
