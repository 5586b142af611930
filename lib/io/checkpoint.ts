/**
 * One checkpoint folder: model weights, optimizer state, step and RNG state, so a run can
 * resume. Which checkpoints to keep is training policy and lives in lib/train.
 *
 * Layout of `<dir>/`:
 * ```
 * checkpoint.json          written last: step, RNG state, extra, and the files below
 * model.<gen>.json         TF.js Layers model.json, weightsManifest -> weights.<gen>.bin
 * weights.<gen>.bin
 * optimizer.<gen>.json     named-tensors manifest (when an optimizer was saved)
 * optimizer.<gen>.bin
 * ```
 * Every save writes a new generation `<gen>` and then replaces checkpoint.json in one
 * atomic write, so overwriting `last` can never mix new weights with old optimizer state: a
 * crash leaves the old checkpoint whole (and orphan files the next save removes).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { RngState } from "../runtime/rng.ts";
import { readJsonFile, writeJsonFile } from "./json_file.ts";
import { loadNamedTensors, type NamedTensor, saveNamedTensors } from "./named_tensors.ts";
import type { Storage } from "./storage.ts";
import { joinStoragePath, normalizeStoragePath } from "./storage_path.ts";
import { storageIOHandler } from "./tf_io_handler.ts";

/** The file that commits a checkpoint; a folder without it is not a checkpoint. */
export const CHECKPOINT_FILE = "checkpoint.json";
/** The `format` field of checkpoint.json. */
export const CHECKPOINT_FORMAT = "workbench-checkpoint/1";

/** What {@linkcode saveCheckpoint} stores. */
export interface CheckpointContents {
  model: tf.LayersModel;
  /** Its state (`getWeights()`: iteration count and slots) is saved when given. */
  optimizer?: tf.Optimizer;
  /** Training step the checkpoint was taken at (a non-negative integer). */
  step: number;
  /** `Rng.state()` of the run's generator, to resume the same random stream. */
  rngState?: RngState;
  /** Anything else JSON can hold: epoch, metrics, LR schedule state, config hash... */
  extra?: Record<string, unknown>;
}

/** A checkpoint's metadata, from its checkpoint.json. */
export interface CheckpointInfo {
  /** The folder's name ("last", "best-1", ...). */
  name: string;
  step: number;
  rngState: RngState | null;
  extra: Record<string, unknown>;
  /** ISO 8601 time of the save. */
  savedAt: string;
  hasOptimizerState: boolean;
}

/** A loaded checkpoint: a fresh model (not compiled) and its metadata. */
export interface LoadedCheckpoint {
  model: tf.LayersModel;
  info: CheckpointInfo;
}

interface _CheckpointRecord {
  format: string;
  step: number;
  rngState: RngState | null;
  extra: Record<string, unknown>;
  savedAt: string;
  generation: string;
  files: {
    model: string;
    weights: string;
    optimizer: string | null;
    optimizerWeights: string | null;
  };
}

const _GENERATION_FILE = /^(model|weights|optimizer)\.[0-9a-f]+\.(json|bin)$/;

/**
 * Saves a checkpoint into `dir`, replacing one that is there (see the module doc for why
 * this is crash-safe). Leaves no tensors behind.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadCheckpoint, MemoryStorage, saveCheckpoint } from "./mod.ts";
 * const storage = new MemoryStorage();
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * await saveCheckpoint(storage, "checkpoints/last", { model, step: 10, rngState: [1, 2, 3, 4] });
 * const { model: loaded, info } = await loadCheckpoint(storage, "checkpoints/last");
 * console.assert(info.step === 10 && info.name === "last");
 * model.dispose();
 * loaded.dispose();
 * ```
 */
export async function saveCheckpoint(
  storage: Storage,
  dir: string,
  contents: CheckpointContents,
): Promise<CheckpointInfo> {
  const root = normalizeStoragePath(dir);
  const { model, optimizer, step } = contents;
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(
      `Cannot save a checkpoint to "${root}" as step must be a non-negative integer: ` +
        `current value is ${step}`,
    );
  }
  const gen = _newGeneration();
  const files = {
    model: `model.${gen}.json`,
    weights: `weights.${gen}.bin`,
    optimizer: optimizer ? `optimizer.${gen}.json` : null,
    optimizerWeights: optimizer ? `optimizer.${gen}.bin` : null,
  };
  await model.save(
    storageIOHandler(storage, root, { modelFile: files.model, weightsFile: files.weights }),
  );
  if (optimizer) {
    const weights: NamedTensor[] = await optimizer.getWeights();
    try {
      await saveNamedTensors(storage, root, weights, {
        manifestFile: files.optimizer!,
        weightsFile: files.optimizerWeights!,
      });
    } finally {
      // getWeights returns the optimizer's own variables plus a fresh "iter" scalar.
      for (const { tensor } of weights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
    }
  }
  const record: _CheckpointRecord = {
    format: CHECKPOINT_FORMAT,
    step,
    rngState: contents.rngState ?? null,
    extra: contents.extra ?? {},
    savedAt: new Date().toISOString(),
    generation: gen,
    files,
  };
  await writeJsonFile(storage, joinStoragePath(root, CHECKPOINT_FILE), record);
  // The commit is done; files of earlier (or crashed) generations are garbage now.
  const keep = new Set(Object.values(files));
  for (const name of await storage.list(root)) {
    if (_GENERATION_FILE.test(name) && !keep.has(name)) {
      await storage.remove(joinStoragePath(root, name));
    }
  }
  return _info(root, record);
}

/**
 * Loads the checkpoint in `dir`: a fresh model with its weights, and, when `optimizer` is
 * given, its state restored into that optimizer (it should be a new one of the same class
 * and settings, built for the same model).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadCheckpoint, MemoryStorage, saveCheckpoint } from "./mod.ts";
 * const storage = new MemoryStorage();
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * const optimizer = tf.train.adam(0.01);
 * await saveCheckpoint(storage, "ckpt", { model, optimizer, step: 0 });
 * const resumed = tf.train.adam(0.01);
 * const { model: loaded } = await loadCheckpoint(storage, "ckpt", { optimizer: resumed });
 * model.dispose();
 * loaded.dispose();
 * ```
 */
export async function loadCheckpoint(
  storage: Storage,
  dir: string,
  options: { optimizer?: tf.Optimizer } = {},
): Promise<LoadedCheckpoint> {
  const root = normalizeStoragePath(dir);
  const record = await _readRecord(storage, root);
  const model = await tf.loadLayersModel(
    storageIOHandler(storage, root, { modelFile: record.files.model }),
  );
  if (options.optimizer) {
    if (record.files.optimizer === null) {
      model.dispose();
      throw new TypeError(
        `Cannot restore the optimizer from "${root}" as the checkpoint holds no optimizer ` +
          "state: current value is null",
      );
    }
    let weights: NamedTensor[] = [];
    try {
      weights = await loadNamedTensors(storage, root, { manifestFile: record.files.optimizer });
      // Optimizers copy what they keep (`tensor.variable()` shares the data, ref-counted).
      await options.optimizer.setWeights(weights);
    } catch (error) {
      model.dispose();
      throw error;
    } finally {
      tf.dispose(weights.map((w) => w.tensor));
    }
  }
  return { model, info: _info(root, record) };
}

/**
 * Reads a checkpoint's metadata without loading tensors.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { MemoryStorage, readCheckpointInfo, saveCheckpoint } from "./mod.ts";
 * const storage = new MemoryStorage();
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * await saveCheckpoint(storage, "c/best-1", { model, step: 3, extra: { loss: 0.5 } });
 * console.assert((await readCheckpointInfo(storage, "c/best-1")).extra.loss === 0.5);
 * model.dispose();
 * ```
 */
export async function readCheckpointInfo(storage: Storage, dir: string): Promise<CheckpointInfo> {
  const root = normalizeStoragePath(dir);
  return _info(root, await _readRecord(storage, root));
}

async function _readRecord(storage: Storage, root: string): Promise<_CheckpointRecord> {
  const path = joinStoragePath(root, CHECKPOINT_FILE);
  const record = await readJsonFile(storage, path) as Partial<_CheckpointRecord> | null;
  if (
    record?.format !== CHECKPOINT_FORMAT || typeof record.files?.model !== "string" ||
    !Number.isInteger(record.step)
  ) {
    throw new TypeError(
      `Cannot read the checkpoint "${path}" as it must have format "${CHECKPOINT_FORMAT}", ` +
        `an integer step and files: current format is ${JSON.stringify(record?.format)}`,
    );
  }
  return record as _CheckpointRecord;
}

function _info(root: string, record: _CheckpointRecord): CheckpointInfo {
  return {
    name: root.slice(root.lastIndexOf("/") + 1),
    step: record.step,
    rngState: record.rngState ?? null,
    extra: record.extra ?? {},
    savedAt: record.savedAt,
    hasOptimizerState: record.files.optimizer !== null,
  };
}

function _newGeneration(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
