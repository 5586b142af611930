/**
 * Data parallelism over two threads: each batch is split in two shards of rows, one
 * computed on this thread and one in a module worker (workers/gradient_worker.ts) at the
 * same time, and their gradients are summed. tfjs's wasm backend runs single-threaded
 * where its threaded build cannot start (Deno), so this is how training uses a second core.
 *
 * Each shard's loss is weighted so the two shards' losses (and so their gradients) add up
 * to the batch's. Two objectives:
 *
 * - `multi_task` (the classifier): exact. Every per-task loss is a masked mean over the
 *   labelled rows of the batch, so each shard computes its own masked mean weighted by
 *   (task weight) × (labelled rows of the task in the shard) / (labelled rows of the task
 *   in the whole batch).
 * - `mask` (the segmentation U-Net): the shard's mask loss weighted by (rows of the shard)
 *   / (rows of the batch). Exact for every loss that is a mean over images: BCE (a mean
 *   over pixels of equal-size images), and Dice and Tversky with `reduction: "image"`.
 *   With `reduction: "batch"` one Dice ratio is taken over the pixels of the whole batch,
 *   and the mean of the two halves' ratios only approximates it (the ratio of sums is not
 *   the mean of the ratios): an approximation, close when the halves hold similar amounts
 *   of foreground.
 *
 * Layers that mix rows differ too: dropout (a shard draws masks for its own rows, the
 * worker's with a dropout step of `step + 0.5`) and BatchNorm (statistics of each shard's
 * rows; GroupNorm, the U-Net's default, is per example and unaffected).
 *
 * This module stays free of Deno: the caller passes a factory that starts the worker.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { transfer, wrap } from "comlink";
import { multiTaskLoss, type MultiTaskLossOptions, taskWeights } from "../classify/losses.ts";
import { isMissingTarget, type LabelSpec } from "../data/labels.ts";
import { setDropoutStep } from "../nn/seeded_dropout.ts";
import type { BackendRequest } from "../runtime/backend.ts";
import {
  segmentationLoss,
  type SegmentationLossName,
  type SegmentationLossOptions,
} from "../segment/losses.ts";
import type { Batch } from "./batch_source.ts";
import { taskOutputIndices } from "./evaluate_model.ts";

/** The classifier's objective: the multi-task loss of the model's task outputs. */
export interface MultiTaskShardObjective {
  kind: "multi_task";
  /** The tasks, each matching a model output by name. */
  tasks: LabelSpec[];
  /** The multi-task loss options (as training's plan gives them). */
  lossOptions: MultiTaskLossOptions;
}

/**
 * A dense mask objective: `segmentationLoss(loss, lossOptions)` of the model's one output
 * (probabilities `[B, H, W, 1 or 2]`) against the batch's masks `batch.y` `[B, H, W, 1]`.
 * With Dice or Tversky and `reduction: "batch"` (their default) the batch's ratio is
 * approximated by the mean of the two halves' ratios; `reduction: "image"` is exact.
 */
export interface MaskShardObjective {
  kind: "mask";
  loss: SegmentationLossName;
  lossOptions: SegmentationLossOptions;
  /** The task name its loss is reported under in `perTask`. Default "mask". */
  task?: string;
}

/** What each shard's loss is (plain data: it is sent to the worker). */
export type ShardObjective = MultiTaskShardObjective | MaskShardObjective;

/** What a shard's gradient computation gives: tensors the caller disposes. */
export interface ShardGradients {
  /** The shard's part of the total loss (the parts add up to the batch's total). */
  value: tf.Scalar;
  /** One gradient per trainable weight, in `model.trainableWeights` order. */
  grads: tf.Tensor[];
  /** Each task's part of its batch loss (the parts add up to the batch's per-task loss). */
  perTask: Record<string, tf.Scalar>;
}

/** The gradients of one batch, as `tf.variableGrads` gives them, and each task's loss. */
export interface BatchGradients {
  /** The batch's total loss. */
  value: tf.Scalar;
  /** Gradients keyed by the names of the model's trainable variables. */
  grads: tf.NamedTensorMap;
  /** Each task's (unweighted) loss over the batch. */
  perTask: Record<string, tf.Scalar>;
}

/** One shard's rows on this thread. */
export interface Shard {
  /** Inputs `[R, ...inputShape]`. */
  x: tf.Tensor;
  /** Masks `[R, H, W, 1]` (objective kind "mask"). */
  y?: tf.Tensor;
  /** Per task, one target per row (objective kind "multi_task"). */
  targets: Record<string, ArrayLike<number>>;
}

/** Where a shard sits in its batch: what its loss weights need. */
export interface ShardContext {
  /** The training step (the dropout step of the shard's masks). */
  step: number;
  /** Rows of the whole batch. */
  batchRows: number;
  /** Labelled rows of each task in the whole batch ({@linkcode labelledCounts}). */
  batchCounts: Record<string, number>;
}

/** Options of {@linkcode shardGradients}. */
export interface ShardGradientsOptions extends ShardContext {
  objective: ShardObjective;
}

/** The labelled rows of each task among `targets` (a missing target is not counted). */
export function labelledCounts(
  targets: Record<string, ArrayLike<number>>,
  tasks: readonly Pick<LabelSpec, "name" | "kind">[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    const values = targets[task.name] ?? [];
    let count = 0;
    for (let i = 0; i < values.length; i++) if (!isMissingTarget(task.kind, values[i])) count++;
    counts[task.name] = count;
  }
  return counts;
}

/**
 * Computes one shard's gradients: the objective's loss of the shard's rows, weighted so
 * the shards' totals add up to the whole batch's (see the module doc). Sets the model's
 * dropout step to `options.step` first.
 */
export function shardGradients(
  model: tf.LayersModel,
  shard: Shard,
  options: ShardGradientsOptions,
): ShardGradients {
  const shardLoss = options.objective.kind === "mask"
    ? _maskShardLoss(model, shard, options.objective, options.batchRows)
    : _multiTaskShardLoss(model, shard, options.objective, options.batchCounts);
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  setDropoutStep(model, options.step);
  let perTask: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const loss = shardLoss();
    perTask = Object.fromEntries(
      Object.entries(loss.perTask).map(([name, s]) => [name, tf.keep(s)]),
    );
    return loss.total;
  }, params);
  return { value, grads: params.map((p) => grads[p.name]), perTask };
}

type _ShardLoss = () => { total: tf.Scalar; perTask: Record<string, tf.Scalar> };

function _multiTaskShardLoss(
  model: tf.LayersModel,
  shard: Shard,
  objective: MultiTaskShardObjective,
  batchCounts: Record<string, number>,
): _ShardLoss {
  const { tasks, lossOptions } = objective;
  const counts = labelledCounts(shard.targets, tasks);
  const fraction = Object.fromEntries(
    tasks.map((t) => [t.name, batchCounts[t.name] > 0 ? counts[t.name] / batchCounts[t.name] : 0]),
  );
  const base = taskWeights(tasks, lossOptions.weights);
  const weights = Object.fromEntries(tasks.map((t) => [t.name, base[t.name] * fraction[t.name]]));
  const outputIndex = taskOutputIndices(model, tasks);
  return () => {
    const out = model.apply(shard.x, { training: true }) as tf.Tensor | tf.Tensor[];
    const outputs = Array.isArray(out) ? out : [out];
    const ordered = tasks.map((t) => outputs[outputIndex[t.name]]);
    const loss = multiTaskLoss(ordered, shard.targets, tasks, { ...lossOptions, weights });
    const perTask = Object.fromEntries(
      tasks.map((t) => [t.name, loss.perTask[t.name].mul(fraction[t.name]) as tf.Scalar]),
    );
    return { total: loss.total, perTask };
  };
}

function _maskShardLoss(
  model: tf.LayersModel,
  shard: Shard,
  objective: MaskShardObjective,
  batchRows: number,
): _ShardLoss {
  const rows = shard.x.shape[0];
  const { y } = shard;
  if (y === undefined || y.rank !== 4 || y.shape[0] !== rows || y.shape[3] !== 1) {
    throw new TypeError(
      `Error in shardGradients: y must be masks [${rows}, H, W, 1] for the ${rows} rows of x ` +
        `but got ${y === undefined ? "none" : `shape [${y.shape}]`}`,
    );
  }
  if (!(batchRows >= rows)) {
    throw new RangeError(
      `Cannot weight a shard's mask loss as the batch must have at least its ${rows} rows: ` +
        `current value is ${batchRows}`,
    );
  }
  const loss = segmentationLoss(objective.loss, objective.lossOptions);
  const task = objective.task ?? "mask";
  return () => {
    const pred = model.apply(shard.x, { training: true }) as tf.Tensor; // [R, H, W, 1|2]
    const total = loss(pred, y).mul(rows / batchRows) as tf.Scalar;
    return { total, perTask: { [task]: total.clone() } };
  };
}

/** One shard's rows as arrays, sent to the worker (the buffers are transferred). */
export interface ShardArrays {
  x: Float32Array;
  xShape: number[];
  /** Masks (objective kind "mask"). */
  y?: Float32Array;
  yShape?: number[];
  targets: Record<string, number[]>;
}

/** The API of workers/gradient_worker.ts. */
export interface GradientWorkerApi {
  /**
   * Builds the model from its topology (`model.toJSON(null, false)`) and starts `backend`;
   * returns the backend's name and the shapes of the trainable weights, in order.
   */
  init(
    topology: unknown,
    objective: ShardObjective,
    backend: BackendRequest,
  ): Promise<{ backend: string; shapes: number[][] }>;
  /**
   * Sets the trainable weights, then computes the gradients of the shard's rows (see
   * {@linkcode shardGradients}); the arrays come back transferred.
   */
  gradients(
    weights: Float32Array[],
    shard: ShardArrays,
    context: ShardContext,
  ): Promise<{ loss: number; perTask: Record<string, number>; grads: Float32Array[] }>;
}

/** Options of {@linkcode DataParallelGradients}. */
export interface DataParallelOptions {
  /** The model trained on this thread. */
  model: tf.LayersModel;
  /**
   * What each shard's loss is. Default: `{ kind: "multi_task", tasks, lossOptions }`
   * (give either this or `tasks` and `lossOptions`). With `kind: "mask"` and a Dice or
   * Tversky loss of `reduction: "batch"`, the batch's one ratio becomes the mean of the two
   * halves' ratios (an approximation; `reduction: "image"` and BCE are exact).
   */
  objective?: ShardObjective;
  /** The tasks, each matching a model output by name (the multi-task objective). */
  tasks?: LabelSpec[];
  /** The multi-task loss options (as training's plan gives them). */
  lossOptions?: MultiTaskLossOptions;
  /**
   * Starts the gradient worker, e.g.
   * `() => new Worker(new URL("../workers/gradient_worker.ts", import.meta.url), { type: "module" })`.
   */
  createWorker: () => Worker;
  /** The worker's backend. Default "wasm". */
  backend?: BackendRequest;
}

/**
 * Computes a batch's gradients on two threads: rows [0, ⌈B/2⌉) here, the rest in a worker
 * holding a copy of the model (its weights are sent with every batch). Call
 * {@linkcode DataParallelGradients.dispose} to stop the worker.
 *
 * @example
 * ```ts ignore
 * const parallel = new DataParallelGradients({
 *   model: unet,
 *   objective: { kind: "mask", loss: "bce_dice", lossOptions: { reduction: "image" } },
 *   createWorker: () => new Worker(new URL("../../workers/gradient_worker.ts", import.meta.url), { type: "module" }),
 * });
 * const { value, grads, perTask } = await parallel.compute(batch, step); // batch.y: masks
 * ```
 */
export class DataParallelGradients {
  readonly #model: tf.LayersModel;
  readonly #objective: ShardObjective;
  readonly #backend: BackendRequest;
  readonly #worker: Worker;
  readonly #api: ReturnType<typeof wrap<GradientWorkerApi>>;
  #ready: Promise<void> | undefined;

  constructor(options: DataParallelOptions) {
    this.#model = options.model;
    this.#objective = _objectiveOf(options);
    this.#backend = options.backend ?? "wasm";
    this.#worker = options.createWorker();
    this.#api = wrap<GradientWorkerApi>(this.#worker);
  }

  /** Starts the worker's model and backend (done by the first `compute` otherwise). */
  ready(): Promise<void> {
    this.#ready ??= (async () => {
      const model = this.#model;
      const { shapes } = await this.#api.init(
        model.toJSON(null, false),
        this.#objective,
        this.#backend,
      );
      const expected = model.trainableWeights.map((w) => w.shape.join("x")).join(",");
      if (shapes.map((s) => s.join("x")).join(",") !== expected) {
        throw new Error(
          `Error in DataParallelGradients: the worker's model must have the same trainable ` +
            `weights as this one (${expected}) but has ${shapes.map((s) => s.join("x"))}`,
        );
      }
    })();
    return this.#ready;
  }

  /**
   * The gradients of the batch's loss with respect to the model's trainable variables
   * (keyed by their names, as `tf.variableGrads`), its total and per-task losses. The
   * caller disposes `batch.x`, `batch.y` and every returned tensor.
   */
  async compute(batch: Batch, step: number): Promise<BatchGradients> {
    await this.ready();
    const model = this.#model;
    const objective = this.#objective;
    const tasks = objective.kind === "multi_task" ? objective.tasks : [];
    const rows = batch.x.shape[0];
    const context = { step, batchRows: rows, batchCounts: labelledCounts(batch.targets, tasks) };
    const names = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    const split = Math.ceil(rows / 2);
    const targets = (start: number, end: number) =>
      Object.fromEntries(
        tasks.map((t) => [t.name, Array.from(batch.targets[t.name]).slice(start, end)]),
      );
    const dense = objective.kind === "mask" ? batch.y : undefined; // [B, H, W, 1]
    if (objective.kind === "mask" && (dense === undefined || dense.shape[0] !== rows)) {
      throw new TypeError(
        `Error in DataParallelGradients.compute: batch.y must be masks [${rows}, H, W, 1] ` +
          `but got ${dense === undefined ? "none" : `shape [${dense.shape}]`}`,
      );
    }
    let remote:
      | Promise<{ loss: number; perTask: Record<string, number>; grads: Float32Array[] }>
      | undefined;
    if (split < rows) {
      const weights = model.trainableWeights.map((w) =>
        (w.read().dataSync() as Float32Array).slice()
      );
      const x = _rowsToArray(batch.x, split, rows);
      const y = dense && _rowsToArray(dense, split, rows);
      const shard: ShardArrays = {
        x: x.data,
        xShape: x.shape,
        ...(y && { y: y.data, yShape: y.shape }),
        targets: targets(split, rows),
      };
      // comlink posts the message now, so the worker starts while this thread computes.
      remote = this.#api.gradients(
        _transfer(weights, weights.map((w) => w.buffer)),
        _transfer(shard, [x.data.buffer, ...(y ? [y.data.buffer] : [])]),
        { ...context, step: step + 0.5 },
      );
    }
    const here: Shard = split < rows
      ? {
        x: tf.slice(batch.x, 0, split),
        y: dense && tf.slice(dense, 0, split),
        targets: targets(0, split),
      }
      : { x: batch.x, y: dense, targets: batch.targets };
    let local: ShardGradients;
    try {
      local = shardGradients(model, here, { ...context, objective });
    } catch (error) {
      await remote?.catch(() => {});
      throw error;
    } finally {
      if (here.x !== batch.x) tf.dispose([here.x, ...(here.y ? [here.y] : [])]);
    }
    if (remote === undefined) {
      return {
        value: local.value,
        grads: Object.fromEntries(names.map((n, i) => [n, local.grads[i]])),
        perTask: local.perTask,
      };
    }
    let other: Awaited<typeof remote>;
    try {
      other = await remote;
    } catch (error) {
      tf.dispose([local.value, ...local.grads, ...Object.values(local.perTask)]);
      throw error;
    }
    const result = tf.tidy(() => ({
      value: local.value.add(other.loss) as tf.Scalar,
      grads: Object.fromEntries(
        names.map((
          n,
          i,
        ) => [n, local.grads[i].add(tf.tensor(other.grads[i], local.grads[i].shape))]),
      ),
      perTask: Object.fromEntries(
        Object.entries(local.perTask).map((
          [name, part],
        ) => [name, part.add(other.perTask[name]) as tf.Scalar]),
      ),
    }));
    tf.dispose([local.value, ...local.grads, ...Object.values(local.perTask)]);
    return result;
  }

  /** Stops the worker. */
  dispose(): void {
    this.#worker.terminate();
  }
}

function _objectiveOf(options: DataParallelOptions): ShardObjective {
  const { objective, tasks, lossOptions } = options;
  if (objective !== undefined && tasks === undefined && lossOptions === undefined) return objective;
  if (objective === undefined && tasks !== undefined && lossOptions !== undefined) {
    return { kind: "multi_task", tasks, lossOptions };
  }
  throw new TypeError(
    "Cannot start DataParallelGradients as its options must give either objective or both " +
      `tasks and lossOptions: current value gives ${
        ["objective", "tasks", "lossOptions"].filter((k) =>
          options[k as keyof DataParallelOptions] !== undefined
        ).join(", ") || "none"
      }`,
  );
}

// Rows [start, end) of `t` as a fresh array (its buffer can be transferred).
function _rowsToArray(t: tf.Tensor, start: number, end: number) {
  const part = tf.slice(t, start, end - start);
  const data = (part.dataSync() as Float32Array).slice();
  const shape = part.shape;
  part.dispose();
  return { data, shape };
}

// comlink's transfer(), typed for the argument it wraps.
function _transfer<T>(value: T, buffers: ArrayBufferLike[]): T {
  return transfer(value, buffers as Transferable[]);
}
