/**
 * Web Worker (module) that runs `deno task segment` on dropped files, exposed through
 * comlink: it loads a trained U-Net run from its bytes, segments the images with
 * lib/segment/segment_files.ts into a memory storage and hands every written file back.
 * Nothing is fetched: the bytes come from the page, the wasm binaries from this folder.
 *
 * ```ts ignore
 * import { proxy, wrap } from "comlink";
 * import type { SegmentWorkerApi } from "../workers/segment_worker.ts";
 * const worker = new Worker(new URL("./segment_worker.js", import.meta.url), { type: "module" });
 * const api = wrap<SegmentWorkerApi>(worker);
 * await api.init("wasm");
 * const result = await api.segment({ runFiles, images, masks }, proxy((event) => {}));
 * ```
 *
 * @module
 */
import { expose, transfer } from "comlink";
import { MemoryStorage } from "../lib/io/memory_storage.ts";
import { RunFolder } from "../lib/io/run_folder.ts";
import { type BackendReport, type BackendRequest, initBackend } from "../lib/runtime/backend.ts";
import type { ProgressListener } from "../lib/train/progress.ts";
import type { SegmentConfig } from "../lib/segment/config_schema.ts";
import type { MaskEvaluation } from "../lib/segment/metrics.ts";
import type { RegionQuantification } from "../lib/segment/quantify.ts";
import {
  matchMasks,
  pathBaseName,
  pathStem,
  segmentConfigFromRun,
} from "../lib/segment/run_settings.ts";
import { segmentWithRun } from "../lib/segment/segment_run.ts";
// Registers the U-Net's custom layers (GroupNorm, UpsampleNearest2x) with tfjs, so a saved
// model.json that names them loads.
import "../lib/segment/unet.ts";

/** A dropped file: its path (relative, "/"-separated) or name, and its bytes. */
export interface DroppedFile {
  path: string;
  bytes: Uint8Array;
}

/** The `[infer]` settings a run can be segmented with (see lib/segment/config_schema.ts). */
export type InferSettings = SegmentConfig["infer"];

/** What {@linkcode SegmentWorkerApi.segment} works on. */
export interface SegmentRequest {
  /** The run folder: run.json, model/model.json and model/*.bin (other files are ignored). */
  runFiles: DroppedFile[];
  /** Images (PNG, JPEG, TIFF); the name's stem names the outputs. */
  images: DroppedFile[];
  /** Ground-truth masks, `<stem><mask_suffix>.<ext>`, `<stem>_mask.<ext>` or `<stem>.<ext>`. */
  masks?: DroppedFile[];
  /** Overrides of the run's `[infer]` settings, checked like `--set infer.KEY=VALUE`. */
  infer?: Partial<InferSettings>;
}

/** One segmented image and the names of its files in {@linkcode SegmentResult.files}. */
export interface SegmentedImage {
  stem: string;
  width: number;
  height: number;
  overlayPath: string;
  maskPath: string;
}

/** quantification.json as segmentFiles writes it. */
export interface QuantificationReport {
  note: string;
  heuristic: true;
  inference: InferSettings;
  images: Record<string, RegionQuantification[]>;
}

/** evaluation.json as segmentFiles writes it. */
export type EvaluationReport = MaskEvaluation & { inference: InferSettings };

/** Everything one segmentation wrote, with the parsed reports for the page's tables. */
export interface SegmentResult {
  images: SegmentedImage[];
  /** Every written file (masks, overlays, crops/, regions.csv, the JSON reports), sorted. */
  files: DroppedFile[];
  regionsCsv: string;
  quantification: QuantificationReport;
  /** Present when masks were given. */
  evaluation: EvaluationReport | null;
  /** One line per image, as the CLI prints. */
  lines: string[];
  /** The settings used: the run's, with the request's overrides. */
  infer: InferSettings;
  metricsPolicy: SegmentConfig["metrics"];
}

/** The API this worker exposes. */
export interface SegmentWorkerApi {
  /** Starts the requested tfjs backend inside the worker. */
  init(backend: BackendRequest): Promise<BackendReport>;
  /** Segments the request's images with its run; progress goes to `onProgress`. */
  segment(request: SegmentRequest, onProgress?: ProgressListener): Promise<SegmentResult>;
}

/** The build copies the wasm binaries next to this bundle (see backend_worker.ts). */
const _WASM_PATHS = new URL("./", import.meta.url).href;

/** The run folder in a memory storage, rooted where its shallowest run.json lies. */
async function _runFolder(files: DroppedFile[]): Promise<RunFolder> {
  const infos = files.filter((f) => pathBaseName(f.path) === "run.json")
    .sort((a, b) => a.path.split("/").length - b.path.split("/").length);
  if (infos.length === 0) {
    throw new TypeError(
      `Cannot load the run as its folder must hold run.json: current value is ` +
        `${files.length} file(s) without one`,
    );
  }
  const root = infos[0].path.slice(0, infos[0].path.length - "run.json".length);
  const storage = new MemoryStorage();
  for (const file of files) {
    const inside = file.path.startsWith(root) ? file.path.slice(root.length) : "";
    if (inside === "run.json" || /^model\/[^/]+\.(json|bin)$/.test(inside)) {
      await storage.writeBytes(inside, file.bytes);
    }
  }
  if (!(await storage.exists("model/model.json"))) {
    throw new TypeError(
      "Cannot load the run as its folder must hold model/model.json (a finished run): " +
        "current value is a folder without it",
    );
  }
  return new RunFolder(storage);
}

/** The mask of each image stem, matched as the CLI's `--masks` (plus `<stem>_mask`). */
function _masksByStem(stems: string[], masks: DroppedFile[], suffix: string): Map<string, string> {
  const byStem = matchMasks(stems, masks.map((m) => m.path), suffix, { alsoTry: ["_mask"] });
  return new Map([...byStem].map(([stem, path]) => [stem, `masks/${pathBaseName(path)}`]));
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian). */
function _pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Every file of a storage, depth first, with paths relative to its root. */
async function _allFiles(storage: MemoryStorage, dir = ""): Promise<DroppedFile[]> {
  const files: DroppedFile[] = [];
  for (const name of await storage.list(dir)) {
    const path = dir === "" ? name : `${dir}/${name}`;
    try {
      files.push({ path, bytes: await storage.readBytes(path) });
    } catch (error) {
      // A folder (crops/): reading it is a TypeError, so list it instead.
      if (!(error instanceof TypeError)) throw error;
      files.push(...await _allFiles(storage, path));
    }
  }
  return files;
}

async function _segment(request: SegmentRequest, onProgress?: ProgressListener) {
  if (request.images.length === 0) {
    throw new RangeError("Cannot segment as no image was given: current value is 0 images");
  }
  const names = new Set<string>();
  for (const image of request.images) {
    const name = pathBaseName(image.path);
    if (names.has(name)) {
      throw new RangeError(`Cannot segment as image names must differ: current value is ${name}`);
    }
    names.add(name);
  }
  onProgress?.({ job: "segment", done: 0, total: request.images.length, message: "loading run" });
  const run = await _runFolder(request.runFiles);
  const info = await run.readRunInfo();
  if (info.kind !== "segmentation") {
    throw new TypeError(
      `Cannot segment with this run as run.json kind must be "segmentation": current value ` +
        `is ${JSON.stringify(info.kind ?? null)}`,
    );
  }
  // The run's config with the request's `infer` overrides, checked as the CLI's `--set`.
  const config = segmentConfigFromRun(info.config, {
    sets: Object.entries(request.infer ?? {}).map(([key, value]) =>
      `infer.${key}=${JSON.stringify(value)}`
    ),
  });
  // Images by name (errors name the file as dropped), masks under "masks/": an image and
  // its mask may share a name (em_mito's 00.png).
  const inputs = new Map<string, Uint8Array>();
  for (const image of request.images) inputs.set(pathBaseName(image.path), image.bytes);
  for (const mask of request.masks ?? []) {
    inputs.set(`masks/${pathBaseName(mask.path)}`, mask.bytes);
  }
  const images = [...names].sort();
  const masks = request.masks?.length
    ? _masksByStem(images.map(pathStem), request.masks, config.data.mask_suffix)
    : undefined;
  const out = new MemoryStorage();
  const report = await segmentWithRun(await run.loadModel(), info, {
    images,
    masks,
    config,
    out,
    readFile: (path) => Promise.resolve(inputs.get(path)!),
    onProgress,
  });
  const files = await _allFiles(out);
  const bytesOf = (path: string) => files.find((f) => f.path === path)!.bytes;
  const text = (path: string) => new TextDecoder().decode(bytesOf(path));
  const result: SegmentResult = {
    images: images.map((path) => {
      const stem = pathStem(path);
      const overlayPath = `${stem}_overlay.png`;
      return { stem, ..._pngSize(bytesOf(overlayPath)), overlayPath, maskPath: `${stem}_mask.png` };
    }),
    files,
    regionsCsv: text("regions.csv"),
    quantification: JSON.parse(text("quantification.json")),
    evaluation: report.evaluation ? JSON.parse(text("evaluation.json")) : null,
    lines: report.lines,
    infer: config.infer,
    metricsPolicy: config.metrics,
  };
  // Each file's bytes are a fresh copy (MemoryStorage copies out), so they can move.
  return transfer(result, files.map((f) => f.bytes.buffer as ArrayBuffer));
}

/** The worker's API, exposed to the page on load. */
const segmentWorkerApi: SegmentWorkerApi = {
  init(backend) {
    return initBackend({ backend, wasmPaths: _WASM_PATHS });
  },
  segment(request, onProgress) {
    return _segment(request, onProgress);
  },
};

expose(segmentWorkerApi);
