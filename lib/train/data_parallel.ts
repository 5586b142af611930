/**
 * Data parallelism over two threads: each batch is split in two shards of rows, one
 * computed on this thread and one in a module worker (workers/gradient_worker.ts) at the
 * same time, and their gradients are summed. tfjs's wasm backend runs single-threaded
 * where its threaded build cannot start (Deno), so this is how training uses a second core.
 *
 * The result equals the gradient of the full batch's multi-task loss, not an approximation:
 * every per-task loss is a masked mean over the labelled rows of the batch, so each shard
 * computes its own masked mean weighted by (task weight) × (labelled rows of the task in
 * the shard) / (labelled rows of the task in the whole batch), and the shards' weighted
 * totals add up to the full batch's total. The one difference is dropout: a shard draws
 * masks for its own rows (the worker's shard with a dropout step of `step + 0.5`, so its
 * masks differ from this thread's), not the rows of a full-batch mask.
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
import type { Batch } from "./batch_source.ts";
import { taskOutputIndices } from "./evaluate_model.ts";

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
 * Computes one shard's gradients: the multi-task loss of rows `x` (a part of a batch whose
 * tasks have `batchCounts` labelled rows), with each task weighted so the shards' totals
 * add up to the whole batch's. Sets the model's dropout step to `step` first.
 */
export function shardGradients(
  model: tf.LayersModel,
  x: tf.Tensor,
  targets: Record<string, ArrayLike<number>>,
  tasks: readonly LabelSpec[],
  lossOptions: MultiTaskLossOptions,
  batchCounts: Record<string, number>,
  step: number,
): ShardGradients {
  const counts = labelledCounts(targets, tasks);
  const fraction = Object.fromEntries(
    tasks.map((t) => [t.name, batchCounts[t.name] > 0 ? counts[t.name] / batchCounts[t.name] : 0]),
  );
  const base = taskWeights(tasks, lossOptions.weights);
  const weights = Object.fromEntries(tasks.map((t) => [t.name, base[t.name] * fraction[t.name]]));
  const outputIndex = taskOutputIndices(model, tasks);
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  setDropoutStep(model, step);
  let perTask: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
    const outputs = Array.isArray(out) ? out : [out];
    const ordered = tasks.map((t) => outputs[outputIndex[t.name]]);
    const loss = multiTaskLoss(ordered, targets, tasks, { ...lossOptions, weights });
    perTask = Object.fromEntries(
      tasks.map((t) => [t.name, tf.keep(loss.perTask[t.name].mul(fraction[t.name]) as tf.Scalar)]),
    );
    return loss.total;
  }, params);
  return { value, grads: params.map((p) => grads[p.name]), perTask };
}

/** The API of workers/gradient_worker.ts. */
export interface GradientWorkerApi {
  /**
   * Builds the model from its topology (`model.toJSON(null, false)`) and starts `backend`;
   * returns the backend's name and the shapes of the trainable weights, in order.
   */
  init(
    topology: unknown,
    lossOptions: MultiTaskLossOptions,
    tasks: LabelSpec[],
    backend: BackendRequest,
  ): Promise<{ backend: string; shapes: number[][] }>;
  /**
   * Sets the trainable weights, then computes the gradients of rows `x` (see
   * {@linkcode shardGradients}); the arrays come back transferred.
   */
  gradients(
    weights: Float32Array[],
    x: Float32Array,
    xShape: number[],
    targets: Record<string, number[]>,
    step: number,
    batchCounts: Record<string, number>,
  ): Promise<{ loss: number; perTask: Record<string, number>; grads: Float32Array[] }>;
}

/** Options of {@linkcode DataParallelGradients}. */
export interface DataParallelOptions {
  /** The model trained on this thread. */
  model: tf.LayersModel;
  /** The tasks, each matching a model output by name. */
  tasks: LabelSpec[];
  /** The multi-task loss options (as training's plan gives them). */
  lossOptions: MultiTaskLossOptions;
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
 *   model, tasks, lossOptions: plan.loss,
 *   createWorker: () => new Worker(new URL("../../workers/gradient_worker.ts", import.meta.url), { type: "module" }),
 * });
 * const { value, grads, perTask } = await parallel.compute(batch, step);
 * ```
 */
export class DataParallelGradients {
  readonly #options: DataParallelOptions;
  readonly #worker: Worker;
  readonly #api: ReturnType<typeof wrap<GradientWorkerApi>>;
  #ready: Promise<void> | undefined;

  constructor(options: DataParallelOptions) {
    this.#options = options;
    this.#worker = options.createWorker();
    this.#api = wrap<GradientWorkerApi>(this.#worker);
  }

  /** Starts the worker's model and backend (done by the first `compute` otherwise). */
  ready(): Promise<void> {
    this.#ready ??= (async () => {
      const { model, lossOptions, tasks, backend = "wasm" } = this.#options;
      const { shapes } = await this.#api.init(
        model.toJSON(null, false),
        lossOptions,
        tasks,
        backend,
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
   * The gradients of the batch's multi-task loss with respect to the model's trainable
   * variables (keyed by their names, as `tf.variableGrads`), its total and per-task losses.
   * The caller disposes `batch.x` and every returned tensor.
   */
  async compute(batch: Batch, step: number): Promise<BatchGradients> {
    await this.ready();
    const { model, tasks, lossOptions } = this.#options;
    const rows = batch.x.shape[0];
    const batchCounts = labelledCounts(batch.targets, tasks);
    const names = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    const split = Math.ceil(rows / 2);
    const slice = (start: number, end: number) =>
      Object.fromEntries(
        tasks.map((t) => [t.name, Array.from(batch.targets[t.name]).slice(start, end)]),
      );
    let remote:
      | Promise<{ loss: number; perTask: Record<string, number>; grads: Float32Array[] }>
      | undefined;
    if (split < rows) {
      const weights = model.trainableWeights.map((w) =>
        (w.read().dataSync() as Float32Array).slice()
      );
      const xRest = tf.slice(batch.x, split, rows - split);
      const xData = (xRest.dataSync() as Float32Array).slice();
      const xShape = xRest.shape;
      xRest.dispose();
      // comlink posts the message now, so the worker starts while this thread computes.
      remote = this.#api.gradients(
        _transfer(weights, weights.map((w) => w.buffer)),
        _transfer(xData, [xData.buffer]),
        xShape,
        slice(split, rows),
        step + 0.5,
        batchCounts,
      );
    }
    const xHere = split < rows ? tf.slice(batch.x, 0, split) : batch.x;
    let local: ShardGradients;
    try {
      local = shardGradients(
        model,
        xHere,
        split < rows ? slice(0, split) : batch.targets,
        tasks,
        lossOptions,
        batchCounts,
        step,
      );
    } catch (error) {
      await remote?.catch(() => {});
      throw error;
    } finally {
      if (xHere !== batch.x) xHere.dispose();
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
        tasks.map((t) => [t.name, local.perTask[t.name].add(other.perTask[t.name]) as tf.Scalar]),
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

// comlink's transfer(), typed for the argument it wraps.
function _transfer<T>(value: T, buffers: ArrayBufferLike[]): T {
  return transfer(value, buffers as Transferable[]);
}
