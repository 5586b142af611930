/**
 * Worker (module) that runs the classifier training job behind comlink: the web app sends
 * the dropped dataset files and a TOML config, receives the same progress events as the
 * CLI's progress bar (through a comlink proxy), and gets the run folder back as files. A
 * thin adapter over lib/classify/train_job.ts.
 *
 * @module
 */
import { expose } from "comlink";
import { type ClassifierConfig, CLASSIFY_SCHEMA } from "../lib/classify/config_schema.ts";
import { runTrainingJob } from "../lib/classify/train_job.ts";
import { resolveConfig } from "../lib/config/mod.ts";
import { MemoryStorage } from "../lib/io/memory_storage.ts";
import type { Storage } from "../lib/io/storage.ts";
import { initBackend } from "../lib/runtime/backend.ts";
import { detectHost } from "../lib/runtime/capabilities.ts";
import type { ProgressEvent } from "../lib/train/progress.ts";
import type { EvaluationResult } from "../lib/train/evaluate_model.ts";

/** A file of a dataset or run folder: its path inside the folder and its bytes. */
export interface FolderFile {
  path: string;
  bytes: Uint8Array;
}

/** What {@linkcode TrainWorkerApi.train} takes. */
export interface TrainRequest {
  /** TOML layered over the classifier defaults (like `--config`). */
  configToml: string;
  /** The preprocessed dataset folder's files (metadata.csv, <split>-metadata.csv, images/). */
  dataset: FolderFile[];
}

/** What {@linkcode TrainWorkerApi.train} returns. */
export interface TrainResponse {
  backend: string;
  steps: number;
  stopReason: string;
  test?: EvaluationResult;
  /** The run folder (run.json, model/, checkpoints/, history.jsonl, summary.json). */
  run: FolderFile[];
}

/** The API this worker exposes. */
export interface TrainWorkerApi {
  /**
   * Trains; `onProgress` receives each progress event. Pass it wrapped in comlink's
   * `proxy()` as its own argument (comlink proxies top-level arguments only).
   */
  train(request: TrainRequest, onProgress?: (event: ProgressEvent) => void): Promise<TrainResponse>;
}

/**
 * In the browser bundle the wasm binaries sit next to this worker's file (deno task build
 * copies them there); in Deno the npm package finds its own.
 */
const _WASM_PATHS = detectHost().host === "browser"
  ? new URL("./", import.meta.url).href
  : undefined;

async function _files(storage: Storage, dir = ""): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  for (const name of await storage.list(dir)) {
    const path = dir === "" ? name : `${dir}/${name}`;
    // list() of a file is a TypeError: that is how files and folders are told apart here.
    const children = await storage.list(path).catch(() => null);
    if (children === null) out.push({ path, bytes: await storage.readBytes(path) });
    else out.push(...await _files(storage, path));
  }
  return out;
}

const api: TrainWorkerApi = {
  async train(request, onProgress) {
    const config = resolveConfig(CLASSIFY_SCHEMA, {
      files: [{ source: "config", text: request.configToml }],
    }) as ClassifierConfig;
    const dataset = new MemoryStorage();
    for (const file of request.dataset) await dataset.writeBytes(file.path, file.bytes);
    const backend = await initBackend({ backend: config.run.backend, wasmPaths: _WASM_PATHS });
    const runStorage = new MemoryStorage();
    const result = await runTrainingJob({
      config,
      roots: [{ name: "dropped dataset", files: dataset }],
      runStorage,
      backend,
      onProgress,
    });
    return {
      backend: backend.backend,
      steps: result.train.steps,
      stopReason: result.train.stopReason,
      test: result.test,
      run: await _files(runStorage),
    };
  },
};

expose(api);
