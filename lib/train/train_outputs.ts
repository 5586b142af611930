/**
 * What a training run keeps in its run folder besides history lines: the resumable `last`
 * checkpoint, and at the end model/ and summary.json.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { CHECKPOINT_FILE } from "../io/checkpoint.ts";
import { RUN_FOLDER_PATHS, type RunFolder, type RunSummary } from "../io/run_folder.ts";
import type { BestCheckpoints, RankedCheckpoint } from "./best_checkpoints.ts";
import type { EarlyStopping, EarlyStoppingState } from "./early_stopping.ts";
import type { EpochSampler } from "./epoch_sampler.ts";
import type { EvaluationResult } from "./evaluate_model.ts";

/** An evaluation with the step and (fractional) epoch it was taken at. */
export interface EvaluationRecord extends EvaluationResult {
  step: number;
  epoch: number;
}

/** The name of the resumable checkpoint. */
export const LAST_CHECKPOINT = "last";

/** The loop state that `last` holds besides weights and optimizer state. */
export interface LastCheckpointState {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  sampler: EpochSampler;
  stopper: EarlyStopping;
  step: number;
  /** Why the loop stopped, when it did ("completed" while it runs). */
  stopReason: "completed" | "early_stopping" | "aborted";
  bestEval?: EvaluationRecord;
  lastEval?: EvaluationRecord;
}

/**
 * Saves checkpoints/last: weights, optimizer state, step, the RNG state where the current
 * epoch's batch order was drawn, early-stopping counters and the best and latest
 * evaluations.
 */
export async function saveLastCheckpoint(
  run: RunFolder,
  state: LastCheckpointState,
): Promise<void> {
  const sampler = state.sampler.state();
  await run.saveCheckpoint(LAST_CHECKPOINT, {
    model: state.model,
    optimizer: state.optimizer,
    step: state.step,
    rngState: sampler.rngState,
    extra: {
      samplerEpoch: sampler.epoch,
      earlyStopping: state.stopper.state(),
      stopReason: state.stopReason,
      bestEval: state.bestEval ?? null,
      lastEval: state.lastEval ?? null,
    },
  });
}

/**
 * Restores checkpoints/last into the given model, optimizer, sampler, early stopping and
 * best-checkpoint ranking, and drops history lines written after it (by the run that was
 * interrupted). Returns undefined, changing nothing, when there is no `last` checkpoint.
 */
export async function restoreLastCheckpoint(
  run: RunFolder,
  targets: {
    model: tf.LayersModel;
    optimizer: tf.Optimizer;
    sampler: EpochSampler;
    stopper: EarlyStopping;
    best: BestCheckpoints;
  },
): Promise<
  Pick<LastCheckpointState, "step" | "stopReason" | "bestEval" | "lastEval"> | undefined
> {
  const path = run.path(RUN_FOLDER_PATHS.checkpoints, LAST_CHECKPOINT, CHECKPOINT_FILE);
  if (!(await run.storage.exists(path))) return undefined;
  const { model: saved, info } = await run.loadCheckpoint(LAST_CHECKPOINT, {
    optimizer: targets.optimizer,
  });
  try {
    targets.model.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
  const { samplerEpoch, earlyStopping, stopReason, bestEval, lastEval } = info.extra;
  if (info.rngState === null || typeof samplerEpoch !== "number" || earlyStopping == null) {
    throw new TypeError(
      `Cannot resume from "${path}" as it must hold the RNG state, samplerEpoch and ` +
        `earlyStopping of a training run: current extra keys are ${Object.keys(info.extra)}`,
    );
  }
  targets.sampler.restore({ epoch: samplerEpoch, rngState: info.rngState });
  targets.stopper.restore(earlyStopping as EarlyStoppingState);
  await targets.best.load(info.step);
  await _trimHistory(run, info.step);
  return {
    step: info.step,
    stopReason: stopReason === "early_stopping" || stopReason === "aborted"
      ? stopReason
      : "completed",
    bestEval: (bestEval ?? undefined) as EvaluationRecord | undefined,
    lastEval: (lastEval ?? undefined) as EvaluationRecord | undefined,
  };
}

/**
 * Writes model/ (the best checkpoint's weights when `best` is given, else `model`'s) and
 * summary.json (with `model_weights` saying which).
 */
export async function writeRunOutputs(
  run: RunFolder,
  outputs: { model: tf.LayersModel; best?: RankedCheckpoint; summary: RunSummary },
): Promise<void> {
  if (outputs.best) {
    const { model } = await run.loadCheckpoint(outputs.best.name);
    try {
      await run.saveModel(model);
    } finally {
      model.dispose();
    }
  } else {
    await run.saveModel(outputs.model);
  }
  await run.writeSummary({
    ...outputs.summary,
    model_weights: outputs.best ? `checkpoints/${outputs.best.name}` : "final",
  });
}

async function _trimHistory(run: RunFolder, step: number): Promise<void> {
  const records = await run.readHistory({ onInvalid: "skip" });
  const kept = records.filter((r) => typeof r.step !== "number" || r.step <= step);
  const text = kept.map((r) => `${JSON.stringify(r)}\n`).join("");
  await run.storage.writeText(run.path(RUN_FOLDER_PATHS.history), text);
}
