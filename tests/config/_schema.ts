/** A task-like schema shared by the config tests: every field kind, nested sections. */
import { BASE_SCHEMA, ConfigError, extendSchema, field } from "../../lib/config/mod.ts";

export const TEST_SCHEMA = extendSchema(BASE_SCHEMA, {
  data: {
    root: field.stringOrList({ default: "", doc: "Dataset folder, or a list of them" }),
    image_size: field.integer({ default: 64, doc: "Image side in pixels", min: 8, max: 1024 }),
    tasks: field.strings({
      default: ["gender"],
      doc: "Labels to learn",
      choices: ["gender", "health", "age"],
    }),
  },
  train: {
    lr: field.number({ default: 1e-3, doc: "Peak learning rate", min: 0 }),
    epochs: field.integer({ default: 10, doc: "Passes over the data", min: 1 }),
    amp: field.boolean({ default: false, doc: "Mixed precision" }),
    betas: field.numbers({ default: [0.9, 0.999], doc: "Adam betas", min: 0, max: 1 }),
    task_weights: field.numberRecord({ default: { gender: 1 }, doc: "Loss weights", min: 0 }),
    optimizer: {
      name: field.choice({ choices: ["adam", "sgd"], default: "adam", doc: "Optimizer" }),
      momentum: field.number({ default: 0.9, doc: "SGD momentum" }),
    },
  },
  model: {
    // A field named "kind" must not make the section look like a field.
    kind: field.choice({ choices: ["cnn", "vit"], default: "cnn", doc: "Backbone" }),
  },
});

/** Runs `fn` and returns the ConfigError it throws (fails when it throws none). */
export function catchConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}
