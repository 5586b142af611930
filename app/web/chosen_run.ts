/**
 * Checks a chosen run folder in the page, before any worker starts: it must hold run.json
 * of a segmentation run and model/model.json. Keeps only the files segmentation needs
 * (run.json, model/model.json, model/*.bin), so checkpoints never travel to the worker.
 *
 * @module
 */
import type { PickedFile } from "./file_drop.tsx";

/** A checked segmentation run folder. */
export interface ChosenRun {
  /** The folder's name ("" when run.json was chosen on its own). */
  name: string;
  /** run.json, model/model.json and model/*.bin, with paths relative to the folder. */
  files: PickedFile[];
  channels: number;
  inputSize: number;
  /** The run's `[infer]` settings, the defaults of the page's overrides. */
  infer: { threshold: number; min_area: number; tile: number };
  /** The run's `metrics.empty` policy. */
  emptyPolicy: string;
  /** What `<stem><maskSuffix>.<ext>` a mask is named (as `data.mask_suffix`). */
  maskSuffix: string;
}

/**
 * The run folder among `files`, rooted at the shallowest run.json.
 *
 * @throws {TypeError} one sentence for the page when it is not a finished segmentation run.
 * @throws {SyntaxError} when run.json is not JSON.
 */
export async function chooseRun(files: PickedFile[]): Promise<ChosenRun> {
  const infos = files.filter((f) => f.path === "run.json" || f.path.endsWith("/run.json"))
    .sort((a, b) => a.path.split("/").length - b.path.split("/").length);
  if (infos.length === 0) {
    throw new TypeError(
      `No run.json among the ${files.length} file(s) chosen: choose the folder that ` +
        "`deno task train` wrote (it holds run.json and model/).",
    );
  }
  const root = infos[0].path.slice(0, -"run.json".length);
  const inside = files.filter((f) => f.path.startsWith(root))
    .map((f) => ({ path: f.path.slice(root.length), file: f.file }))
    .filter((f) => f.path === "run.json" || /^model\/[^/]+\.(json|bin)$/.test(f.path));
  let info;
  try {
    info = JSON.parse(await infos[0].file.text());
  } catch (error) {
    throw new SyntaxError(`Cannot read ${infos[0].path} as JSON: ${(error as Error).message}`);
  }
  if (info?.kind !== "segmentation") {
    const kind = info?.kind === undefined ? "has no kind (a classifier run?)" : `is ${info.kind}`;
    throw new TypeError(
      `Not a segmentation run: ${infos[0].path} ${kind}. Choose a run trained with a ` +
        "config/segmentation preset.",
    );
  }
  if (!inside.some((f) => f.path === "model/model.json")) {
    throw new TypeError(
      `The run ${root || "folder"} has no model/model.json: has its training finished?`,
    );
  }
  const config = info.config ?? {};
  return {
    name: root.replace(/\/$/, ""),
    files: inside,
    channels: config.data?.channels ?? 3,
    inputSize: config.data?.input_size ?? 256,
    infer: {
      threshold: config.infer?.threshold ?? 0.75,
      min_area: config.infer?.min_area ?? 64,
      tile: config.infer?.tile ?? 512,
    },
    emptyPolicy: config.metrics?.empty ?? "one",
    maskSuffix: config.data?.mask_suffix ?? "_mask",
  };
}
