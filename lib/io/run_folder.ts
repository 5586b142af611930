/**
 * The run folder of ARCHITECTURE.md, on any {@linkcode Storage}:
 * ```
 * run.json        resolved config, versions, backend and adapter, seed, data fingerprint, labels
 * model/          TF.js Layers format: model.json + weights.bin
 * checkpoints/    <name>/ (last, best-1, ...): weights, optimizer state, step, RNG state
 * history.jsonl   one JSON object per logged step or evaluation
 * summary.json    best and final metrics per task; test metrics when evaluated
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  CHECKPOINT_FILE,
  type CheckpointContents,
  type CheckpointInfo,
  loadCheckpoint,
  type LoadedCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
} from "./checkpoint.ts";
import { readJsonFile, writeJsonFile } from "./json_file.ts";
import { NotFoundError } from "./not_found_error.ts";
import type { Storage } from "./storage.ts";
import { joinStoragePath, normalizeStoragePath } from "./storage_path.ts";
import { storageIOHandler } from "./tf_io_handler.ts";

/** Names of the entries of a run folder. */
export const RUN_FOLDER_PATHS = {
  runInfo: "run.json",
  model: "model",
  checkpoints: "checkpoints",
  history: "history.jsonl",
  summary: "summary.json",
} as const;

/** run.json: a plain JSON object; these keys are the ones every run writes. */
export interface RunInfo {
  config?: unknown;
  versions?: Record<string, string>;
  backend?: unknown;
  seed?: number;
  dataFingerprint?: string;
  labels?: unknown;
  [key: string]: unknown;
}

/** One line of history.jsonl (e.g. `{ step, loss, lr }` or `{ step, split: "val", ... }`). */
export type HistoryRecord = Record<string, unknown>;

/** summary.json: best and final metrics per task, test metrics when evaluated. */
export type RunSummary = Record<string, unknown>;

/** Options for {@linkcode RunFolder.readHistory}. */
export interface ReadHistoryOptions {
  /**
   * What to do with a line that is not a JSON object: "throw" (default) a SyntaxError naming
   * the file and line, or "skip" it. A torn last line (no final "\n", left by a crash) is
   * always skipped.
   */
  onInvalid?: "throw" | "skip";
}

const _CHECKPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A run folder rooted at `root` ("" for the storage's root) of a storage.
 *
 * @example
 * ```ts
 * import { MemoryStorage, RunFolder } from "./mod.ts";
 * const run = new RunFolder(new MemoryStorage(), "runs/demo");
 * await run.writeRunInfo({ seed: 42, config: { train: { steps: 10 } } });
 * await run.appendHistory({ step: 1, loss: 0.7 });
 * await run.appendHistory([{ step: 2, loss: 0.6 }, { step: 2, split: "val", loss: 0.65 }]);
 * console.assert((await run.readHistory()).length === 3);
 * console.assert(run.path("history.jsonl") === "runs/demo/history.jsonl");
 * ```
 */
export class RunFolder {
  readonly storage: Storage;
  /** The folder's path in the storage ("" for the root). */
  readonly root: string;

  constructor(storage: Storage, root = "") {
    this.storage = storage;
    this.root = normalizeStoragePath(root, { allowRoot: true });
  }

  /** The storage path of an entry, e.g. `path("model", "model.json")`. */
  path(...parts: string[]): string {
    return joinStoragePath(this.root, ...parts);
  }

  /** Writes run.json (replacing it). */
  async writeRunInfo(info: RunInfo): Promise<void> {
    _assertPlainObject(info, this.path(RUN_FOLDER_PATHS.runInfo), "write");
    await writeJsonFile(this.storage, this.path(RUN_FOLDER_PATHS.runInfo), info);
  }

  /** Reads run.json. */
  async readRunInfo(): Promise<RunInfo> {
    const path = this.path(RUN_FOLDER_PATHS.runInfo);
    const info = await readJsonFile(this.storage, path);
    _assertPlainObject(info, path, "read");
    return info as RunInfo;
  }

  /** Appends one record, or several, as lines of history.jsonl. */
  async appendHistory(records: HistoryRecord | HistoryRecord[]): Promise<void> {
    const path = this.path(RUN_FOLDER_PATHS.history);
    const list = Array.isArray(records) ? records : [records];
    if (list.length === 0) return;
    for (const record of list) _assertPlainObject(record, path, "append to");
    // JSON.stringify escapes newlines inside strings, so each record is exactly one line.
    await this.storage.appendText(path, list.map((r) => `${JSON.stringify(r)}\n`).join(""));
  }

  /** All records of history.jsonl in order; `[]` when the run has none yet. */
  async readHistory(options: ReadHistoryOptions = {}): Promise<HistoryRecord[]> {
    const path = this.path(RUN_FOLDER_PATHS.history);
    if (!(await this.storage.exists(path))) return [];
    const lines = (await this.storage.readText(path)).split("\n");
    // After the final "\n" split leaves "", or the torn remains of an interrupted append.
    lines.pop();
    const records: HistoryRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === "") continue;
      let record: unknown;
      try {
        record = JSON.parse(lines[i]);
      } catch {
        record = undefined;
      }
      if (record !== null && typeof record === "object" && !Array.isArray(record)) {
        records.push(record as HistoryRecord);
      } else if (options.onInvalid !== "skip") {
        throw new SyntaxError(
          `Cannot read "${path}" line ${i + 1} as it must be a JSON object (pass ` +
            `{ onInvalid: "skip" } to skip such lines): current value is ${lines[i].slice(0, 80)}`,
        );
      }
    }
    return records;
  }

  /** Writes summary.json (replacing it). */
  async writeSummary(summary: RunSummary): Promise<void> {
    _assertPlainObject(summary, this.path(RUN_FOLDER_PATHS.summary), "write");
    await writeJsonFile(this.storage, this.path(RUN_FOLDER_PATHS.summary), summary);
  }

  /** Reads summary.json. */
  async readSummary(): Promise<RunSummary> {
    const path = this.path(RUN_FOLDER_PATHS.summary);
    const summary = await readJsonFile(this.storage, path);
    _assertPlainObject(summary, path, "read");
    return summary as RunSummary;
  }

  /** The IOHandler of model/: `model.save(run.modelHandler())`, `tf.loadLayersModel(...)`. */
  modelHandler(): tf.io.IOHandler {
    return storageIOHandler(this.storage, this.path(RUN_FOLDER_PATHS.model));
  }

  /** Saves the final model to model/. */
  async saveModel(model: tf.LayersModel): Promise<void> {
    await model.save(this.modelHandler());
  }

  /** Loads model/ as a fresh (uncompiled) model. */
  async loadModel(): Promise<tf.LayersModel> {
    return await tf.loadLayersModel(this.modelHandler());
  }

  /** The folder of a checkpoint, after checking its name. */
  checkpointPath(name: string): string {
    if (typeof name !== "string" || !_CHECKPOINT_NAME.test(name)) {
      throw new RangeError(
        `Cannot use a checkpoint name as it must be letters, digits, ".", "_" or "-" ` +
          `(e.g. "last", "best-1"): current value is ${JSON.stringify(name)}`,
      );
    }
    return this.path(RUN_FOLDER_PATHS.checkpoints, name);
  }

  /** Saves (or replaces) checkpoints/<name>/; see lib/io/checkpoint.ts. */
  async saveCheckpoint(name: string, contents: CheckpointContents): Promise<CheckpointInfo> {
    return await saveCheckpoint(this.storage, this.checkpointPath(name), contents);
  }

  /** Loads checkpoints/<name>/, restoring `optimizer`'s state when given. */
  async loadCheckpoint(
    name: string,
    options: { optimizer?: tf.Optimizer } = {},
  ): Promise<LoadedCheckpoint> {
    return await loadCheckpoint(this.storage, this.checkpointPath(name), options);
  }

  /** Metadata of every complete checkpoint (one with a checkpoint.json), sorted by name. */
  async listCheckpoints(): Promise<CheckpointInfo[]> {
    const dir = this.path(RUN_FOLDER_PATHS.checkpoints);
    const infos: CheckpointInfo[] = [];
    for (const name of await this.storage.list(dir)) {
      if (!_CHECKPOINT_NAME.test(name)) continue;
      const path = joinStoragePath(dir, name);
      if (await this.storage.exists(joinStoragePath(path, CHECKPOINT_FILE))) {
        infos.push(await readCheckpointInfo(this.storage, path));
      }
    }
    return infos;
  }

  /** Deletes checkpoints/<name>/ and everything in it. */
  async removeCheckpoint(name: string): Promise<void> {
    const path = this.checkpointPath(name);
    if (!(await this.storage.exists(path))) {
      throw new NotFoundError("remove the checkpoint", path, this.storage.location);
    }
    await this.storage.remove(path, { recursive: true });
  }
}

function _assertPlainObject(value: unknown, path: string, action: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(
      `Cannot ${action} "${path}" as it must hold a JSON object: current value is ${
        Array.isArray(value) ? "an array" : value === null ? "null" : typeof value
      }`,
    );
  }
}
