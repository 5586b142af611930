/**
 * Raw named tensors (optimizer state, EMA weights) saved in the TF.js weights format: a
 * binary file plus a small JSON manifest, like a model.json without a topology.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Storage } from "./storage.ts";
import { joinStoragePath, normalizeStoragePath } from "./storage_path.ts";
import { readWeightGroups } from "./tf_io_handler.ts";

/** A tensor with a name, as `tf.Optimizer.getWeights()` returns them. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Options for {@linkcode saveNamedTensors} and {@linkcode loadNamedTensors}. */
export interface NamedTensorsOptions {
  /** The manifest's file name in the folder. Default "tensors.json". */
  manifestFile?: string;
  /** The weights file's name in the folder. Default "tensors.bin". */
  weightsFile?: string;
}

/** The manifest's `format` field. */
export const NAMED_TENSORS_FORMAT = "named-tensors";

/**
 * Writes tensors to `<dir>/tensors.bin` and `<dir>/tensors.json` (`{ format:
 * "named-tensors", weightsManifest: [{ paths: ["tensors.bin"], weights: specs }] }`), the
 * binary first and the manifest last. Names must be unique; the tensors are not disposed.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadNamedTensors, MemoryStorage, saveNamedTensors } from "./mod.ts";
 * const storage = new MemoryStorage();
 * const m = tf.tensor1d([1, 2, 3]);
 * await saveNamedTensors(storage, "opt", [{ name: "m", tensor: m }]);
 * const [loaded] = await loadNamedTensors(storage, "opt");
 * console.assert(loaded.name === "m" && loaded.tensor.size === 3);
 * tf.dispose([m, loaded.tensor]);
 * ```
 */
export async function saveNamedTensors(
  storage: Storage,
  dir: string,
  tensors: NamedTensor[],
  options: NamedTensorsOptions = {},
): Promise<void> {
  const { manifestPath, weightsFile, root } = _paths(dir, options);
  const seen = new Set<string>();
  for (const { name } of tensors) {
    if (seen.has(name)) {
      throw new RangeError(
        `Cannot save tensors to "${manifestPath}" as names must be unique: current value ` +
          `has "${name}" twice`,
      );
    }
    seen.add(name);
  }
  // encodeWeights reads every tensor with `await data()`, so GPU backends work too.
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await storage.writeBytes(joinStoragePath(root, weightsFile), new Uint8Array(data));
  const manifest = {
    format: NAMED_TENSORS_FORMAT,
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
  };
  await storage.writeText(manifestPath, JSON.stringify(manifest));
}

/**
 * Reads tensors saved by {@linkcode saveNamedTensors}, in their saved order (optimizers'
 * `setWeights` depends on it). The caller owns and disposes the returned tensors.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadNamedTensors, MemoryStorage, saveNamedTensors } from "./mod.ts";
 * const storage = new MemoryStorage();
 * const iter = tf.scalar(7, "int32");
 * await saveNamedTensors(storage, "opt", [{ name: "iter", tensor: iter }]);
 * const loaded = await loadNamedTensors(storage, "opt");
 * console.assert((await loaded[0].tensor.data())[0] === 7);
 * tf.dispose([iter, ...loaded.map((t) => t.tensor)]);
 * ```
 */
export async function loadNamedTensors(
  storage: Storage,
  dir: string,
  options: NamedTensorsOptions = {},
): Promise<NamedTensor[]> {
  const { manifestPath, root } = _paths(dir, options);
  const text = await storage.readText(manifestPath);
  let manifest: { format?: unknown; weightsManifest?: tf.io.WeightsManifestConfig };
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Cannot load tensors from "${manifestPath}" as it is not valid JSON: ${
        (error as Error).message
      }`,
    );
  }
  if (manifest?.format !== NAMED_TENSORS_FORMAT || !Array.isArray(manifest.weightsManifest)) {
    throw new TypeError(
      `Cannot load tensors from "${manifestPath}" as it must have format ` +
        `"${NAMED_TENSORS_FORMAT}" and a weightsManifest: current format is ${
          JSON.stringify(manifest?.format)
        }`,
    );
  }
  const [specs, buffers] = await readWeightGroups(storage, root, manifest.weightsManifest);
  const byName = tf.io.decodeWeights(buffers, specs);
  return specs.map((spec) => ({ name: spec.name, tensor: byName[spec.name] }));
}

function _paths(dir: string, options: NamedTensorsOptions) {
  const root = normalizeStoragePath(dir, { allowRoot: true });
  const weightsFile = normalizeStoragePath(options.weightsFile ?? "tensors.bin");
  const manifestPath = joinStoragePath(root, options.manifestFile ?? "tensors.json");
  return { root, weightsFile, manifestPath };
}
