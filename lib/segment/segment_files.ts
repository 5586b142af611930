/**
 * The `segment` job over a list of image files: whole-field segmentation of each, then its
 * outputs written to a storage (mask PNG, overlay PNG, one padded crop PNG per region,
 * regions.csv, quantification.json and, with ground-truth masks, evaluation.json). Bytes come in through `readFile`, so the same
 * job runs on files in Deno and on dropped files in a browser worker.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { toGrey8, toRgb8 } from "../image/convert.ts";
import { decodeImage } from "../image/decode_image.ts";
import { binarizeMask } from "../image/mask.ts";
import { encodePng } from "../image/png.ts";
import type { Storage } from "../io/storage.ts";
import type { ProgressListener } from "../train/progress.ts";
import type { SegmentConfig } from "./config_schema.ts";
import { evaluateMasks, type MaskEvaluation } from "./metrics.ts";
import type { ImageNormalization } from "../image/normalization.ts";
import { overlayOutlines } from "./overlay.ts";
import { quantifyRegions, type RegionQuantification } from "./quantify.ts";
import { type ParallelTiles, startParallelTiles } from "./parallel_tiles.ts";
import { segmentImage } from "./segment_image.ts";

/** Options of {@linkcode segmentFiles}. */
export interface SegmentFilesOptions {
  model: tf.LayersModel;
  /** Image paths (any name; the stem names the outputs). */
  images: string[];
  /** Ground-truth mask path per image stem, when evaluating. */
  masks?: Map<string, string>;
  config: SegmentConfig;
  normalization: ImageNormalization;
  out: Storage;
  readFile: (path: string) => Promise<Uint8Array>;
  onProgress?: ProgressListener;
  /**
   * Starts a tile worker (workers/tile_worker.ts); with `infer.data_parallel` each batch
   * of tiles is split between this thread and it on the CPU backends. Without it, one
   * thread.
   */
  createTileWorker?: () => Worker;
}

/** What {@linkcode segmentFiles} wrote, for the terminal. */
export interface SegmentFilesReport {
  /** One line per image: regions found and their grades. */
  lines: string[];
  evaluation?: MaskEvaluation;
}

const _PRED_COLOUR: [number, number, number] = [255, 230, 0]; // yellow
const _TRUTH_COLOUR: [number, number, number] = [0, 200, 255]; // cyan
const _CSV_HEADER =
  "image,region,area,bbox_x,bbox_y,bbox_width,bbox_height,crop_x,crop_y,crop_width,crop_height," +
  "centroid_x,centroid_y,fill_fraction,mean_intensity,openness,grade";

function _stem(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Segments every image and writes its outputs. Each file is written whole (the storage
 * writes atomically), and the tables are written once at the end.
 *
 * @example
 * ```ts ignore
 * await segmentFiles({ model, images, config, normalization, out, readFile: Deno.readFile });
 * ```
 */
export async function segmentFiles(options: SegmentFilesOptions): Promise<SegmentFilesReport> {
  const { model, config } = options;
  const parallel = await startParallelTiles(
    model,
    config.infer.data_parallel,
    options.createTileWorker,
  );
  try {
    return await _segmentFiles(options, parallel);
  } finally {
    parallel?.dispose();
  }
}

async function _segmentFiles(
  options: SegmentFilesOptions,
  parallel: ParallelTiles | undefined,
): Promise<SegmentFilesReport> {
  const { model, config, out } = options;
  const channels = model.inputs[0].shape[3] === 1 ? 1 : 3;
  const inputSize = model.inputs[0].shape[1] as number;
  const rows: string[] = [_CSV_HEADER];
  const quantification: Record<string, RegionQuantification[]> = {};
  const pairs: { id: string; pred: Uint8Array; truth: Uint8Array }[] = [];
  const lines: string[] = [];
  for (const [index, path] of options.images.entries()) {
    const stem = _stem(path);
    const raster = decodeImage(await options.readFile(path), { source: path });
    const { width, height } = raster;
    const rgb = toRgb8(raster);
    const grey = toGrey8(raster);
    const data = channels === 3 ? rgb : grey;
    const result = await segmentImage(model, { width, height, channels, data }, {
      infer: config.infer,
      inputSize,
      normalization: options.normalization,
      parallel,
      onTile: (done, total) =>
        options.onProgress?.({
          job: "segment",
          done: index + done / total,
          total: options.images.length,
          message: `${stem}: tile ${done}/${total}`,
        }),
    });
    const quant = quantifyRegions({ grey, width, height }, result);
    quantification[stem] = quant;
    for (const [i, region] of result.regions.entries()) {
      const q = quant[i];
      rows.push(
        [
          stem,
          region.label,
          region.area,
          region.bbox.x,
          region.bbox.y,
          region.bbox.width,
          region.bbox.height,
          region.crop.x,
          region.crop.y,
          region.crop.width,
          region.crop.height,
          region.centroid.x.toFixed(2),
          region.centroid.y.toFixed(2),
          q.fill_fraction.toFixed(6),
          q.mean_intensity.toFixed(4),
          q.openness.toFixed(6),
          q.grade,
        ].join(","),
      );
    }
    const outlines = [{ mask: result.mask, color: _PRED_COLOUR }];
    const maskPath = options.masks?.get(stem);
    if (maskPath !== undefined) {
      const truthRaster = decodeImage(await options.readFile(maskPath), { source: maskPath });
      if (truthRaster.width !== width || truthRaster.height !== height) {
        throw new RangeError(
          `Cannot evaluate ${path} as its mask ${maskPath} must be ${width}x${height}: current ` +
            `value is ${truthRaster.width}x${truthRaster.height}`,
        );
      }
      const truth = binarizeMask(truthRaster, { threshold: config.data.mask_threshold });
      pairs.push({ id: stem, pred: result.mask, truth });
      outlines.push({ mask: truth, color: _TRUTH_COLOUR });
    }
    const maskPng = new Uint8Array(result.mask.length);
    for (let i = 0; i < maskPng.length; i++) maskPng[i] = result.mask[i] * 255;
    await out.writeBytes(
      `${stem}_mask.png`,
      encodePng({ width, height, channels: 1, depth: 8, data: maskPng }),
    );
    const overlay = overlayOutlines(rgb, width, height, outlines, { thickness: 3 });
    await out.writeBytes(
      `${stem}_overlay.png`,
      encodePng({ width, height, channels: 3, depth: 8, data: overlay }),
    );
    // One padded bounding-box crop per region, for grading and review.
    for (const region of result.regions) {
      const { x, y, width: cw, height: ch } = region.crop;
      const crop = new Uint8Array(cw * ch * 3);
      for (let row = 0; row < ch; row++) {
        const from = ((y + row) * width + x) * 3;
        crop.set(rgb.subarray(from, from + cw * 3), row * cw * 3);
      }
      await out.writeBytes(
        `crops/${stem}_region${region.label}.png`,
        encodePng({ width: cw, height: ch, channels: 3, depth: 8, data: crop }),
      );
    }
    const grades = quant.map((q) => q.grade).join(" ");
    lines.push(`${stem}: ${result.regions.length} region(s)${grades ? `, grades ${grades}` : ""}`);
    options.onProgress?.({
      job: "segment",
      done: index + 1,
      total: options.images.length,
      message: stem,
    });
  }
  await out.writeText("regions.csv", rows.join("\n") + "\n");
  await out.writeText(
    "quantification.json",
    JSON.stringify(
      {
        note: "openness = fraction of a region's pixels with grey >= 0.85 x the image's " +
          "maximum grey value; grade 0 (>= 0.6), 1 (>= 0.4), 2 (>= 0.2), else 3. A heuristic, " +
          "not a validated pathology score.",
        heuristic: true,
        inference: config.infer,
        images: quantification,
      },
      null,
      2,
    ) + "\n",
  );
  let evaluation: MaskEvaluation | undefined;
  if (pairs.length > 0) {
    evaluation = evaluateMasks(pairs, { threshold: 0.5, emptyPolicy: config.metrics.empty });
    await out.writeText(
      "evaluation.json",
      JSON.stringify({ ...evaluation, inference: config.infer }, null, 2) + "\n",
    );
  }
  return { lines, evaluation };
}
