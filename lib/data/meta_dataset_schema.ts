/**
 * The config of `deno task meta-dataset`: which preprocessed datasets to combine, what they
 * are called, and which columns to balance. Preset: config/data/meta-math-parkinsons.toml.
 *
 * @module
 */
import { BASE_SCHEMA, extendSchema, field } from "../config/mod.ts";
import { LABELS } from "./label_registry.ts";

/** Columns a meta-dataset can balance: the source's name and every classification label. */
export const BALANCE_COLUMNS: readonly string[] = [
  "dataset",
  ...Object.values(LABELS).filter((l) => l.kind === "classification").map((l) => l.column),
];

/** Schema of the meta-dataset config. */
export const META_DATASET_SCHEMA = extendSchema(BASE_SCHEMA, {
  data: {
    roots: field.strings({
      default: [],
      doc: "Preprocessed dataset folders to combine (each with metadata.csv and images/)",
    }),
    names: field.strings({
      default: [],
      doc: "Dataset names, one per root ([] = the folders' names); the `dataset` column",
    }),
    balance: field.strings({
      default: ["gender", "dataset"],
      choices: BALANCE_COLUMNS,
      doc: "Columns whose value combinations get equal weight within each split",
    }),
  },
});
