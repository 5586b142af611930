/**
 * The training loop of multi-task models. It reads top to bottom, as nanoGPT's: learning
 * rate, evaluate/checkpoint, forward/backward, clip and step, log.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ClassifierTrainConfig } from "../classify/config_schema.ts";
import { multiTaskLoss, type MultiTaskLossOptions } from "../classify/losses.ts";
import { isImprovement } from "../classify/metric_direction.ts";
import type { TargetNormalization } from "../classify/target_normalization.ts";
import type { LabelSpec } from "../data/labels.ts";
import type { RunFolder, RunInfo } from "../io/run_folder.ts";
import { setDropoutStep } from "../nn/seeded_dropout.ts";
import type { Rng } from "../runtime/rng.ts";
import type { Batch, BatchSource } from "./batch_source.ts";
import { BestCheckpoints } from "./best_checkpoints.ts";
import { clipByGlobalNorm } from "./clip_by_global_norm.ts";
import { createOptimizer } from "./create_optimizer.ts";
import { EarlyStopping } from "./early_stopping.ts";
import { EpochSampler } from "./epoch_sampler.ts";
import {
  evaluateModel,
  type EvaluationResult,
  flattenEvaluation,
  readMetric,
  taskOutputIndices,
} from "./evaluate_model.ts";
import { EtaEstimator, type ProgressListener } from "./progress.ts";
import { learningRateAt } from "./schedules.ts";
import {
  type EvaluationRecord,
  restoreLastCheckpoint,
  saveLastCheckpoint,
  writeRunOutputs,
} from "./train_outputs.ts";
import { planTraining } from "./train_plan.ts";

/** Options of {@linkcode trainModel}. */
export interface TrainModelOptions {
  /** The model to train in place; one output per task, named after it. */
  model: tf.LayersModel;
  /** Training rows, and validation rows for evaluation, best checkpoints and early stopping. */
  data: { train: BatchSource; val?: BatchSource };
  /** The tasks, each matching a model output by name. */
  tasks: LabelSpec[];
  /** The `[train]` section of a resolved classifier config. */
  config: ClassifierTrainConfig;
  /** Where run.json, history.jsonl, summary.json, model/ and checkpoints/ go. */
  runFolder: RunFolder;
  /** The run's random stream (batch order); its state is saved in checkpoints. */
  rng: Rng;
  /** Written to run.json, with `labels` and `targetNormalization` added. */
  runInfo?: RunInfo;
  /** Continue from checkpoints/last when it exists (the model must be built the same way). */
  resume?: boolean;
  /** Receives a progress event after every step. */
  onProgress?: ProgressListener;
  /** Stops after the current step, saving `last` (unless checkpoint_strategy is none). */
  signal?: AbortSignal;
  /**
   * Computes a batch's loss gradients in place of step 3's `tf.variableGrads` (e.g.
   * `DataParallelGradients.compute` of data_parallel.ts): gradients keyed by the names of the model's
   * trainable variables, the total loss and each task's loss, all disposed by the loop. The
   * loop disposes `batch.x`. Default: one `tf.variableGrads` on this thread.
   */
  gradients?: (batch: Batch, step: number) => Promise<{
    value: tf.Scalar;
    grads: tf.NamedTensorMap;
    perTask: Record<string, tf.Scalar>;
  }>;
  /**
   * What the model learns, when it is not the multi-task classifier of `tasks` (e.g. the
   * U-Net's mask loss and Dice of lib/segment). `tasks` then only names the logged loss
   * parts and the metric keys.
   */
  objective?: TrainObjective;
  /**
   * A learning-rate factor per trainable variable (by name) and step: 0 freezes it for that
   * step (no gradient is computed), 0.1 gives it a tenth of the schedule's rate. Default 1.
   * Transfer learning uses it to freeze, then slow down, a copied encoder.
   */
  paramLrScale?: (variableName: string, step: number) => number;
}

/**
 * A training objective: the loss of a batch (called inside the gradient tape) and the
 * evaluation of validation rows. The classifier's is {@linkcode multiTaskObjective}.
 */
export interface TrainObjective {
  /** The total loss of `batch` in training mode, and its named parts (logged per step). */
  loss(
    model: tf.LayersModel,
    batch: Batch,
  ): { total: tf.Scalar; perTask: Record<string, tf.Scalar> };
  /** Loss and metrics on every row of `source`, in inference mode. */
  evaluate(model: tf.LayersModel, source: BatchSource): Promise<EvaluationResult>;
}

/**
 * The multi-task classifier's objective: {@linkcode multiTaskLoss} over the model's outputs
 * named after `tasks`, and {@linkcode evaluateModel}.
 */
export function multiTaskObjective(
  model: tf.LayersModel,
  tasks: LabelSpec[],
  options: { loss: MultiTaskLossOptions; evalBatchSize: number },
): TrainObjective {
  const outputIndex = taskOutputIndices(model, tasks);
  return {
    loss(model, batch) {
      const out = model.apply(batch.x, { training: true }) as tf.Tensor | tf.Tensor[];
      const outputs = Array.isArray(out) ? out : [out];
      const ordered = tasks.map((t) => outputs[outputIndex[t.name]]); // [B, K] each
      return multiTaskLoss(ordered, batch.targets, tasks, options.loss);
    },
    evaluate: (model, source) =>
      evaluateModel(model, source, tasks, { batchSize: options.evalBatchSize, loss: options.loss }),
  };
}

/** What {@linkcode trainModel} returns (summary.json holds the same). */
export interface TrainResult {
  /** Optimizer steps taken in total (including those before a resume). */
  steps: number;
  totalSteps: number;
  stopReason: "completed" | "early_stopping" | "aborted";
  /** The step this call resumed from, when it did. */
  resumedFrom?: number;
  /** The evaluation with the best `best_metric`, and the last one (when there is val data). */
  best?: EvaluationRecord;
  final?: EvaluationRecord;
  /** Regression target statistics (also in run.json and summary.json). */
  targetNormalization: TargetNormalization;
}

/**
 * Trains `model` on `data.train` as `config` says and writes the run folder. The same seed
 * and data give the same run; a run resumed from its `last` checkpoint ends where an
 * uninterrupted one would (dropout masks depend on the step, batch order on the saved RNG
 * state, and AdamW's bias correction on the saved step count).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { schemaDefaults } from "../config/mod.ts";
 * import { buildClassifier, CLASSIFY_SCHEMA } from "../classify/mod.ts";
 * import { MemoryStorage, RunFolder } from "../io/mod.ts";
 * import { Rng } from "../runtime/rng.ts";
 * import { tensorBatchSource, trainModel } from "./mod.ts";
 * const tasks = [{ name: "y", kind: "classification" as const, classes: ["a", "b"], column: "y", description: "" }];
 * const model = buildClassifier({
 *   backbone: "cnn_light", inputShape: [8, 8, 1], tasks, seed: 1, embedding: 4, depth: 1,
 *   layerRepeats: 1, channels: 2,
 * });
 * const x = tf.randomUniform([8, 8, 8, 1], 0, 1, "float32", 1);
 * const source = tensorBatchSource(x, { y: [0, 1, 0, 1, 0, 1, 0, 1] });
 * const config = { ...schemaDefaults(CLASSIFY_SCHEMA).train, max_steps: 2, batch_size: 4 };
 * const run = new RunFolder(new MemoryStorage());
 * const result = await trainModel({
 *   model, data: { train: source, val: source }, tasks, config, runFolder: run, rng: new Rng(1),
 * });
 * console.assert(result.steps === 2 && result.final !== undefined);
 * tf.dispose(x);
 * model.dispose();
 * ```
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainResult> {
  const { model, data, tasks, config, runFolder, rng, onProgress, signal } = options;
  const plan = planTraining(config, tasks, data.train, {
    customMetrics: options.objective !== undefined,
  });
  const objective = options.objective ??
    multiTaskObjective(model, tasks, { loss: plan.loss, evalBatchSize: config.eval_batch_size });
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = createOptimizer(params, config);
  const sampler = new EpochSampler(data.train.size, rng, {
    batchSize: config.batch_size,
    balanceTargets: plan.balanceTargets,
  });
  const { key: monitorKey, direction } = plan.monitor;
  const checkpointing = config.checkpoint_strategy !== "none";
  const best = new BestCheckpoints(runFolder, {
    metric: monitorKey,
    direction,
    limit: checkpointing ? config.checkpoint_total_limit : 0,
  });
  const stopper = new EarlyStopping({
    patience: config.early_stopping_patience,
    direction,
    minDelta: config.early_stopping_min_delta,
  });
  const state = {
    step: 0,
    stopReason: "completed" as TrainResult["stopReason"],
    bestEval: undefined as EvaluationRecord | undefined,
    lastEval: undefined as EvaluationRecord | undefined,
  };
  const saveLast = () =>
    saveLastCheckpoint(runFolder, { model, optimizer, sampler, stopper, ...state });

  try {
    let resumedFrom: number | undefined;
    if (options.resume) {
      const restored = await restoreLastCheckpoint(runFolder, {
        model,
        optimizer,
        sampler,
        stopper,
        best,
      });
      if (restored) Object.assign(state, restored);
      // An aborted run continues; one that stopped early stays stopped.
      if (state.stopReason === "aborted") state.stopReason = "completed";
      resumedFrom = restored?.step;
    }
    await runFolder.writeRunInfo({
      ...options.runInfo,
      labels: tasks,
      targetNormalization: plan.loss.normalization,
    });
    const startStep = state.step;
    const eta = new EtaEstimator(plan.totalSteps - startStep);

    while (true) {
      const step = state.step; // optimizer steps taken so far
      const epoch = step / plan.stepsPerEpoch; // fractional, as in transformers' logs
      const finished = step >= plan.totalSteps;

      // 1. Learning rate of the next step: warmup, then constant / linear / cosine decay.
      const lr = learningRateAt(step, plan.schedule);

      // 2. Evaluate and checkpoint (every eval_steps or epoch, and at the end).
      if (step > startStep && data.val && (finished || plan.evalDue(step))) {
        const result = await objective.evaluate(model, data.val);
        const record: EvaluationRecord = { step, epoch, ...result };
        const value = readMetric(result, monitorKey);
        await runFolder.appendHistory({ split: "val", ...record });
        state.lastEval = record;
        if (
          isImprovement(value, state.bestEval && readMetric(state.bestEval, monitorKey), direction)
        ) {
          state.bestEval = record;
        }
        await best.consider(model, step, value, { epoch });
        if (stopper.update(value)) state.stopReason = "early_stopping";
        onProgress?.({
          job: "train",
          done: step,
          total: plan.totalSteps,
          message: "evaluated",
          metrics: flattenEvaluation(result),
        });
      }
      if (signal?.aborted && !finished && state.stopReason === "completed") {
        state.stopReason = "aborted";
      }
      const stopping = finished || state.stopReason !== "completed";
      if (checkpointing && step > startStep && (stopping || plan.checkpointDue(step))) {
        await saveLast();
      }
      if (stopping) break;

      // 3. Forward and backward on one batch.
      const batch = await data.train.batch(sampler.batchAt(step)); // x: [B, ...inputShape]
      setDropoutStep(model, step);
      let taskLosses: Record<string, tf.Scalar> = {};
      let gradients: ReturnType<typeof tf.variableGrads>;
      try {
        if (options.gradients) {
          const { value, grads, perTask } = await options.gradients(batch, step);
          taskLosses = perTask;
          gradients = { value, grads };
        } else {
          // Frozen variables (scale 0 this step) get no gradient and so no update.
          const active = options.paramLrScale
            ? params.filter((p) => options.paramLrScale!(p.name, step) > 0)
            : params;
          gradients = tf.variableGrads(() => {
            const { total, perTask } = objective.loss(model, batch);
            Object.values(perTask).forEach((t) => tf.keep(t)); // read in step 5
            taskLosses = perTask;
            return total;
          }, active);
        }
      } finally {
        tf.dispose([batch.x, ...(batch.y ? [batch.y] : [])]);
      }
      const { value: loss, grads } = gradients;

      // 4. Clip by global norm and take the optimizer step.
      const { grads: clipped, norm } = clipByGlobalNorm(grads, config.grad_clip_norm);
      optimizer.learningRate = lr;
      let applied = clipped;
      if (options.paramLrScale) {
        const scale = options.paramLrScale;
        optimizer.lrScales = Object.fromEntries(params.map((p) => [p.name, scale(p.name, step)]));
        // Gradients of frozen variables (e.g. from data-parallel workers) are not applied.
        applied = Object.fromEntries(
          Object.entries(clipped).filter(([name]) => optimizer.lrScales[name] !== 0),
        );
      }
      optimizer.applyGradients(applied);
      tf.dispose([...Object.values(grads), ...Object.values(clipped)]);
      state.step = step + 1;

      // 5. Log. GPU-CPU sync: reading the loss waits for this step to finish.
      const [lossValue, gradNorm, ...perTaskValues] = await Promise.all(
        [loss, norm, ...tasks.map((t) => taskLosses[t.name])].map(async (s) => (await s.data())[0]),
      );
      tf.dispose([loss, norm, ...Object.values(taskLosses)]);
      if (!Number.isFinite(lossValue)) {
        throw new RangeError(
          `Cannot continue training as the loss must be finite: current value is ${lossValue} ` +
            `at step ${state.step} (try a lower train.lr or train.grad_clip_norm)`,
        );
      }
      if (state.step % config.log_steps === 0 || state.step === plan.totalSteps) {
        await runFolder.appendHistory({
          split: "train",
          step: state.step,
          epoch: state.step / plan.stepsPerEpoch,
          lr,
          loss: lossValue,
          grad_norm: gradNorm,
          tasks: Object.fromEntries(tasks.map((t, i) => [t.name, perTaskValues[i]])),
        });
      }
      eta.update(state.step - startStep);
      onProgress?.({
        job: "train",
        done: state.step,
        total: plan.totalSteps,
        message: `epoch ${sampler.epochOf(step) + 1}`,
        metrics: { loss: lossValue, lr },
        etaSeconds: eta.etaSeconds(),
      });
    }

    await writeRunOutputs(runFolder, {
      model,
      best: config.load_best_at_end ? best.best() : undefined,
      summary: {
        steps: state.step,
        total_steps: plan.totalSteps,
        epochs: state.step / plan.stepsPerEpoch,
        stop_reason: state.stopReason,
        best_metric: monitorKey,
        best: state.bestEval ?? null,
        final: state.lastEval ?? null,
        target_normalization: plan.loss.normalization,
      },
    });
    return {
      steps: state.step,
      totalSteps: plan.totalSteps,
      stopReason: state.stopReason,
      resumedFrom,
      best: state.bestEval,
      final: state.lastEval,
      targetNormalization: plan.loss.normalization,
    };
  } finally {
    optimizer.dispose();
  }
}
