/**
 * A TF.js `io.IOHandler` over a {@linkcode Storage}: `model.save(handler)` and
 * `tf.loadLayersModel(handler)` read and write the standard Layers files, the same way on
 * disk, in IndexedDB and in memory.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Storage } from "./storage.ts";
import { joinStoragePath, normalizeStoragePath } from "./storage_path.ts";

/** Options for {@linkcode storageIOHandler}. */
export interface StorageIOHandlerOptions {
  /** Name of the model JSON inside the folder. Default "model.json". */
  modelFile?: string;
  /** Name of the weights file that `save` writes. Default "weights.bin". */
  weightsFile?: string;
}

/**
 * An IOHandler that saves a model as `<dir>/model.json` + `<dir>/weights.bin` (TF.js Layers
 * format: modelTopology, format, generatedBy, convertedBy, weightsManifest, and any
 * trainingConfig / userDefinedMetadata) and loads such a folder back; sharded weights
 * written by other tools load too.
 *
 * Weights are written first and model.json last, so a reader never finds a model.json
 * whose weights are missing.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { MemoryStorage, storageIOHandler } from "./mod.ts";
 * const storage = new MemoryStorage();
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save(storageIOHandler(storage, "model"));
 * const loaded = await tf.loadLayersModel(storageIOHandler(storage, "model"));
 * console.assert(loaded.layers.length === 1);
 * model.dispose();
 * loaded.dispose();
 * ```
 */
export function storageIOHandler(
  storage: Storage,
  dir: string,
  options: StorageIOHandlerOptions = {},
): tf.io.IOHandler {
  const root = normalizeStoragePath(dir, { allowRoot: true });
  const modelFile = normalizeStoragePath(options.modelFile ?? "model.json");
  const weightsFile = normalizeStoragePath(options.weightsFile ?? "weights.bin");
  const modelPath = joinStoragePath(root, modelFile);

  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new TypeError(
          `Cannot save a model to "${modelPath}" as only JSON topologies are supported: ` +
            "current value is an ArrayBuffer (a binary GraphDef)",
        );
      }
      const weightData = artifacts.weightData == null
        ? new ArrayBuffer(0)
        : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      await storage.writeBytes(joinStoragePath(root, weightsFile), new Uint8Array(weightData));
      const modelJson = _modelJson(artifacts, [
        { paths: [weightsFile], weights: artifacts.weightSpecs ?? [] },
      ]);
      await storage.writeText(modelPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = await _readModelJson(storage, modelPath);
      return await tf.io.getModelArtifactsForJSON(
        modelJson,
        (manifest) => readWeightGroups(storage, root, manifest),
      );
    },
  };
}

/**
 * Reads the weight files a weights manifest names (paths relative to `dir`), in manifest
 * order: the specs and the buffers to decode them from.
 *
 * @example
 * ```ts
 * import { MemoryStorage, readWeightGroups } from "./mod.ts";
 * const storage = new MemoryStorage();
 * await storage.writeBytes("m/w.bin", new Uint8Array(4));
 * const manifest = [{ paths: ["w.bin"], weights: [{ name: "x", shape: [1], dtype: "float32" as const }] }];
 * const [specs, buffers] = await readWeightGroups(storage, "m", manifest);
 * console.assert(specs.length === 1 && buffers[0].byteLength === 4);
 * ```
 */
export async function readWeightGroups(
  storage: Storage,
  dir: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer[]]> {
  if (!Array.isArray(manifest)) {
    throw new TypeError(
      `Cannot read weights in "${dir}" as the weightsManifest must be an array: ` +
        `current value is ${JSON.stringify(manifest)}`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    for (const path of group.paths) {
      const bytes = await storage.readBytes(joinStoragePath(dir, path));
      buffers.push(_ownBuffer(bytes));
    }
    specs.push(...group.weights);
  }
  // tfjs 4.22's CompositeArrayBuffer assumes every shard but the last has the same size and
  // the last is no larger; it misreads weights otherwise, so join such shards into one.
  const last = buffers[buffers.length - 1];
  if (buffers.length > 1 && last.byteLength > buffers[0].byteLength) {
    return [specs, [tf.io.CompositeArrayBuffer.join(buffers)]];
  }
  return [specs, buffers];
}

function _modelJson(
  artifacts: tf.io.ModelArtifacts,
  weightsManifest: tf.io.WeightsManifestConfig,
): tf.io.ModelJSON {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest,
  };
  if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata != null) {
    json.userDefinedMetadata = artifacts.userDefinedMetadata;
  }
  if (artifacts.signature != null) json.signature = artifacts.signature;
  if (artifacts.modelInitializer != null) json.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature != null) {
    json.initializerSignature = artifacts.initializerSignature;
  }
  return json;
}

async function _readModelJson(storage: Storage, path: string): Promise<tf.io.ModelJSON> {
  const text = await storage.readText(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Cannot load a model from "${path}" as it is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (json === null || typeof json !== "object" || !("modelTopology" in json)) {
    throw new TypeError(
      `Cannot load a model from "${path}" as it has no modelTopology: current keys are ${
        json !== null && typeof json === "object" ? Object.keys(json).join(", ") : String(json)
      }`,
    );
  }
  return json as tf.io.ModelJSON;
}

/** An ArrayBuffer holding exactly `bytes` (no copy when the view already spans it). */
function _ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes.buffer as ArrayBuffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}
