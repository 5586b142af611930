/**
 * A preprocessed spectrogram dataset (one folder, or several with the same labels) as a
 * training {@linkcode BatchSource}: rows from `<split>-metadata.csv`, PNGs decoded lazily
 * per batch (a batch of 32 decodes in tens of milliseconds, far below a training step, and
 * memory stays bounded by the batch instead of the dataset).
 *
 * Inputs are pixel / 255 in [0, 1], shape [B, height, width, channels]; the normalisation
 * is returned so the run can store it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Storage } from "../io/storage.ts";
import type { Batch, BatchSource } from "../train/batch_source.ts";
import { decodePng } from "../image/png.ts";
import { parseTable } from "./csv.ts";
import { encodeLabel, type LabelSpec } from "./labels.ts";
import { discoverTasks, labelSpec } from "./label_registry.ts";

/** One dataset folder. */
export interface DatasetRoot {
  /** A name for messages (the folder path). */
  name: string;
  files: Storage;
}

/** What {@linkcode openImageDataset} returns. */
export interface ImageDataset {
  source: BatchSource;
  rows: Record<string, string>[];
  /** [height, width, channels] of every image. */
  inputShape: [number, number, number];
  /**
   * Inputs are pixel * scale + offset; with subjectCentering, minus the mean of that over
   * the subject's rows of this split.
   */
  normalization: { scale: number; offset: number; subjectCentering: boolean };
}

/** Options of {@linkcode openImageDataset}. */
export interface OpenImageDatasetOptions {
  /**
   * Subtract, per subject (metadata column `subject`, per dataset folder), the mean input
   * image over that subject's rows of the opened split. It uses no labels, only the
   * subject's other windows: on the Math recordings it removes the differences between
   * people (their overall spectrum, electrode impedances) that dominate rest-vs-task
   * differences. It assumes each subject's rows span their recordings as a whole (true of
   * subject-wise splits and of `all`).
   */
  subjectCentering?: boolean;
}

/** The tasks to learn: the configured names, or every label the metadata has. */
export async function datasetTasks(roots: DatasetRoot[], names: string[]): Promise<LabelSpec[]> {
  if (names.length > 0) return names.map(labelSpec);
  const columns = new Set<string>();
  for (const root of roots) {
    const text = await root.files.readText("metadata.csv");
    for (const c of parseTable(text, { source: `${root.name}/metadata.csv` }).columns) {
      columns.add(c);
    }
  }
  const tasks = discoverTasks(columns);
  if (tasks.length === 0) {
    throw new RangeError(
      `Cannot train as the datasets' metadata has no label column (${[...columns].join(", ")})`,
    );
  }
  return tasks;
}

/**
 * Opens one split (or "all" rows) of one or more dataset folders.
 *
 * @example
 * ```ts ignore
 * const train = await openImageDataset([{ name: "datasets/math", files }], "train", tasks);
 * const batch = await train.source.batch([0, 1]);
 * ```
 */
export async function openImageDataset(
  roots: DatasetRoot[],
  split: string,
  tasks: LabelSpec[],
  options: OpenImageDatasetOptions = {},
): Promise<ImageDataset> {
  const { subjectCentering = false } = options;
  const rows: (Record<string, string> & { _root: string })[] = [];
  const byName = new Map(roots.map((r) => [r.name, r]));
  for (const root of roots) {
    // "all" is every row of the dataset (e.g. a separate cohort), from metadata.csv.
    const path = split === "all" ? "metadata.csv" : `${split}-metadata.csv`;
    if (!(await root.files.exists(path))) {
      throw new RangeError(
        `Cannot read split "${split}" of ${root.name} as it has no ${path} (preprocess it first)`,
      );
    }
    const table = parseTable(await root.files.readText(path), { source: `${root.name}/${path}` });
    for (const row of table.rows) rows.push({ ...row, _root: root.name });
  }
  const targets: Record<string, Float32Array> = {};
  for (const task of tasks) {
    targets[task.name] = Float32Array.from(rows, (row, i) => {
      try {
        return encodeLabel(task, row[task.column] ?? "");
      } catch (error) {
        throw new RangeError(
          `${rows[i]._root}/${split}-metadata.csv row ${i + 2}: ${(error as Error).message}`,
        );
      }
    });
  }
  let inputShape: [number, number, number] = [256, 256, 1];
  if (rows.length > 0) {
    const first = decodePng(await byName.get(rows[0]._root)!.files.readBytes(rows[0].file_name));
    inputShape = [first.height, first.width, first.channels];
  }
  const [h, w, c] = inputShape;
  const readImage = async (row: Record<string, string> & { _root: string }) => {
    const image = decodePng(await byName.get(row._root)!.files.readBytes(row.file_name), {
      source: `${row._root}/${row.file_name}`,
    });
    if (image.width !== w || image.height !== h || image.channels !== c) {
      throw new RangeError(
        `Cannot batch ${row._root}/${row.file_name} as every image must be ${w}x${h}x${c}: ` +
          `current value is ${image.width}x${image.height}x${image.channels}`,
      );
    }
    return { data: image.data, scale: image.depth === 16 ? 1 / 65535 : 1 / 255 };
  };
  // Per row, the subject's mean image to subtract (null: none).
  const means: (Float32Array | null)[] = subjectCentering
    ? await _subjectMeans(rows, split, h * w * c, readImage)
    : rows.map(() => null);
  const source: BatchSource = {
    size: rows.length,
    targets(task) {
      const values = targets[task];
      if (values === undefined) {
        throw new RangeError(
          `Cannot read targets as "${task}" is not one of ${Object.keys(targets).join(", ")}`,
        );
      }
      return values;
    },
    async batch(indices): Promise<Batch> {
      const pixels = new Float32Array(indices.length * h * w * c);
      for (const [k, i] of indices.entries()) {
        const { data, scale } = await readImage(rows[i]);
        const offset = k * h * w * c;
        const mean = means[i];
        if (mean === null) {
          for (let p = 0; p < data.length; p++) pixels[offset + p] = data[p] * scale;
        } else {
          for (let p = 0; p < data.length; p++) pixels[offset + p] = data[p] * scale - mean[p];
        }
      }
      return {
        x: tf.tensor4d(pixels, [indices.length, h, w, c]), // [B, H, W, C]
        targets: Object.fromEntries(
          Object.entries(targets).map(([task, values]) => [task, indices.map((i) => values[i])]),
        ),
      };
    },
  };
  return {
    source,
    rows,
    inputShape,
    normalization: { scale: 1 / 255, offset: 0, subjectCentering },
  };
}

/** Each row's subject mean image (pixel * scale averaged over the subject's rows). */
async function _subjectMeans(
  rows: (Record<string, string> & { _root: string })[],
  split: string,
  size: number,
  readImage: (row: Record<string, string> & { _root: string }) => Promise<{
    data: ArrayLike<number>;
    scale: number;
  }>,
): Promise<Float32Array[]> {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const subject = row.subject;
    if (subject === undefined || subject === "") {
      throw new RangeError(
        `Cannot center ${row._root}/${split === "all" ? "" : `${split}-`}metadata.csv row ${
          i + 2
        } by subject as data.subject_centering needs a subject in every row: current value is ${
          JSON.stringify(subject ?? null)
        }`,
      );
    }
    const key = `${row._root}\0${subject}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i);
  });
  const means = new Array<Float32Array>(rows.length);
  for (const members of groups.values()) {
    const sum = new Float64Array(size);
    for (const i of members) {
      const { data, scale } = await readImage(rows[i]);
      for (let p = 0; p < size; p++) sum[p] += data[p] * scale;
    }
    const mean = Float32Array.from(sum, (v) => v / members.length);
    for (const i of members) means[i] = mean;
  }
  return means;
}

/** SHA-256 of the datasets' metadata files: the run's data fingerprint. */
export async function datasetFingerprint(roots: DatasetRoot[]): Promise<string> {
  const texts: string[] = [];
  for (const root of roots) texts.push(await root.files.readText("metadata.csv"));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(texts.join("\n")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
