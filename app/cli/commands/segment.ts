/**
 * `deno task segment`: whole-field segmentation with a trained U-Net run. Per image: a mask
 * PNG, an overlay PNG, its regions (regions.csv) and their quantification
 * (quantification.json); with --masks also evaluation.json (per image and pooled metrics).
 *
 * @module
 */
import { basename, extname, join, resolve } from "node:path";
import { type Command, UsageError } from "../command.ts";
import { CONFIG_FLAGS, CONFIG_FLAGS_HELP, maybePrintConfig } from "../task_config.ts";
import { FileStorage } from "../file_storage.ts";
import { createProgressBar } from "../progress.ts";
import { runStorage } from "../seg_locations.ts";
import { formatFieldEvaluation } from "../format_field_evaluation.ts";
import { RunFolder } from "../../../lib/io/run_folder.ts";
import { initBackend } from "../../../lib/runtime/backend.ts";
import { SEGMENT_SCHEMA } from "../../../lib/segment/config_schema.ts";
import {
  matchMasks,
  MissingMaskError,
  segmentConfigFromRun,
} from "../../../lib/segment/run_settings.ts";
import { segmentWithRun } from "../../../lib/segment/segment_run.ts";
import { createTileWorker } from "../tile_worker.ts";

const _IMAGE = /\.(png|jpe?g|tiff?)$/i;

async function _inputs(path: string): Promise<string[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`--input ${path} does not exist (expected an image file or a folder)`);
    }
    throw error;
  }
  if (info.isFile) return [resolve(path)];
  const files: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    if ((entry.isFile || entry.isSymlink) && _IMAGE.test(entry.name)) {
      files.push(join(resolve(path), entry.name));
    }
  }
  if (files.length === 0) {
    throw new UsageError(`--input ${path} holds no .png, .jpg or .tif images`);
  }
  return files.sort();
}

/** The mask file of each image stem in `dir`: `<stem><suffix>.<ext>` or `<stem>.<ext>`. */
async function _maskFiles(
  dir: string,
  stems: string[],
  suffix: string,
): Promise<Map<string, string>> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile || entry.isSymlink) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`--masks ${dir} does not exist (expected a folder of masks)`);
    }
    throw error;
  }
  let byStem: Map<string, string>;
  try {
    byStem = matchMasks(stems, names, suffix);
  } catch (error) {
    if (error instanceof MissingMaskError) {
      throw new UsageError(
        `--masks ${dir} has no ${error.stem}${suffix}.<png|jpg|tif> for image ${error.stem}`,
      );
    }
    throw error;
  }
  return new Map([...byStem].map(([stem, name]) => [stem, join(resolve(dir), name)]));
}

export const command: Command = {
  name: "segment",
  summary: "segment whole microscope fields with a trained U-Net",
  help: [
    "deno task segment: whole-field segmentation with a trained U-Net run",
    "",
    "Usage:",
    "  deno task segment --run DIR --input FILE|DIR [--masks DIR] --out DIR [--set infer.k=v]",
    "",
    "Example:",
    "  deno task segment --run runs/glomeruli-transfer \\",
    "    --input ../shared/data/seg/glomeruli/images/T20_Image0.jpg \\",
    "    --masks ../shared/data/seg/glomeruli/masks --out runs/segment-T20",
    "",
    "Each image is cut into [infer] tiles (512 px with infer.overlap, last row/column flush",
    "to the edge), each resized to the model input (optionally averaged over its 4 flips,",
    "infer.tta), and the probabilities merged back (infer.merge: max or mean), thresholded",
    "(infer.threshold) and split into 8-connected regions of >= infer.min_area pixels.",
    "The run's saved config is used; --config/--set change [infer] and [metrics].",
    "",
    "Writes to --out: <image>_mask.png (0/255), <image>_overlay.png (prediction outline in",
    "yellow, ground truth in cyan), crops/<image>_region<N>.png (padded box of each region),",
    "regions.csv, quantification.json, and with --masks",
    "evaluation.json (per image and pooled Dice, IoU, ..., with the empty-mask policy).",
    "",
    "Flags:",
    "  --run DIR                a run folder made by deno task train with a segmentation config",
    "  --input FILE|DIR         an image, or a folder of .png/.jpg/.tif images",
    "  --masks DIR              ground-truth masks (<stem>_mask.<ext> or <stem>.<ext>)",
    CONFIG_FLAGS_HELP,
  ].join("\n"),
  flags: {
    ...CONFIG_FLAGS,
    run: { type: "string" },
    input: { type: "string" },
    masks: { type: "string" },
  },
  async run(ctx) {
    const log = (message: string) => console.error(`[segment] ${message}`);
    const runDir = ctx.values.run as string | undefined;
    const input = ctx.values.input as string | undefined;
    if (runDir === undefined) throw new UsageError("--run DIR is required (a segmentation run)");
    const storage = await runStorage(runDir, "--run");
    const run = new RunFolder(storage);
    const info = await run.readRunInfo();
    if (info.kind !== "segmentation") {
      throw new UsageError(
        `--run ${runDir} is not a segmentation run (run.json kind is ${info.kind})`,
      );
    }
    // The run's config, then --config, --set, --backend and --out on top.
    const files = typeof ctx.values.config === "string"
      ? [{ source: ctx.values.config, text: await Deno.readTextFile(ctx.values.config) }]
      : [];
    const sets = [...((ctx.values.set as string[] | undefined) ?? [])];
    if (typeof ctx.values.backend === "string") sets.push(`run.backend=${ctx.values.backend}`);
    sets.push(`run.out=${JSON.stringify((ctx.values.out as string | undefined) ?? "")}`);
    const config = segmentConfigFromRun(info.config, {
      source: join(runDir, "run.json"),
      files,
      env: Deno.env.toObject(),
      sets,
    });
    if (maybePrintConfig(ctx.values, config, SEGMENT_SCHEMA)) return 0;
    if (input === undefined) throw new UsageError("--input FILE|DIR is required");
    if (config.run.out === "") throw new UsageError("--out DIR is required");
    const images = await _inputs(input);
    const stems = images.map((f) => basename(f, extname(f)));
    const masks = typeof ctx.values.masks === "string"
      ? await _maskFiles(ctx.values.masks, stems, config.data.mask_suffix)
      : undefined;
    const backend = await initBackend({ backend: config.run.backend });
    log(`backend: ${backend.backend} (${backend.reason}); ${images.length} image(s)`);
    const model = await run.loadModel();
    const bar = createProgressBar();
    let report;
    try {
      report = await segmentWithRun(model, info, {
        images,
        masks,
        config,
        out: new FileStorage(resolve(config.run.out)),
        readFile: (path) => Deno.readFile(path),
        onProgress: bar.listener,
        createTileWorker,
      });
    } finally {
      bar.stop();
    }
    for (const line of report.lines) console.log(line);
    if (report.evaluation !== undefined) {
      console.log(formatFieldEvaluation(report.evaluation, "whole fields"));
    }
    console.log(`\noutput folder: ${resolve(config.run.out)}`);
    return 0;
  },
};
