/**
 * Keeping the best k checkpoints of a run, ranked by one validation metric in its own
 * direction (lower MAE is better, higher balanced accuracy is better).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { isImprovement, type MetricDirection } from "../classify/metric_direction.ts";
import type { RunFolder } from "../io/run_folder.ts";

/** One kept checkpoint. */
export interface RankedCheckpoint {
  /** Its folder under checkpoints/ ("best-step-120"). */
  name: string;
  step: number;
  /** The ranking metric's value. */
  value: number;
}

/** Options of {@linkcode BestCheckpoints}. */
export interface BestCheckpointsOptions {
  /** The metric's key, e.g. "loss" or "age.mae"; stored with each checkpoint. */
  metric: string;
  direction: MetricDirection;
  /** How many to keep; 0 keeps none. */
  limit: number;
}

/** Prefix of best-checkpoint folders. */
export const BEST_CHECKPOINT_PREFIX = "best-step-";

/**
 * The best `limit` checkpoints under checkpoints/best-step-<step>/ (weights, step and the
 * metric; no optimizer state). A new value enters when fewer than `limit` are kept or it
 * beats the worst kept one (ties keep the earlier checkpoint); the one it displaces is
 * deleted.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { MemoryStorage, RunFolder } from "../io/mod.ts";
 * import { BestCheckpoints } from "./best_checkpoints.ts";
 * const run = new RunFolder(new MemoryStorage());
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * const best = new BestCheckpoints(run, { metric: "age.mae", direction: "min", limit: 1 });
 * await best.consider(model, 10, 5.0);
 * await best.consider(model, 20, 7.0); // worse MAE: not kept
 * console.assert(best.ranking().map((c) => c.step).join() === "10");
 * model.dispose();
 * ```
 */
export class BestCheckpoints {
  readonly metric: string;
  readonly direction: MetricDirection;
  readonly limit: number;
  #run: RunFolder;
  #ranking: RankedCheckpoint[] = [];

  constructor(run: RunFolder, options: BestCheckpointsOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 0) {
      throw new RangeError(
        `Cannot keep best checkpoints as limit must be a non-negative integer: current value ` +
          `is ${options.limit}`,
      );
    }
    this.#run = run;
    this.metric = options.metric;
    this.direction = options.direction;
    this.limit = options.limit;
  }

  /** Kept checkpoints, best first. */
  ranking(): RankedCheckpoint[] {
    return this.#ranking.map((c) => ({ ...c }));
  }

  /** The best kept checkpoint, if any. */
  best(): RankedCheckpoint | undefined {
    return this.#ranking[0] ? { ...this.#ranking[0] } : undefined;
  }

  /**
   * Saves `model` as a best checkpoint when `value` ranks among the best `limit`; returns
   * whether it did.
   */
  async consider(
    model: tf.LayersModel,
    step: number,
    value: number,
    extra: Record<string, unknown> = {},
  ): Promise<boolean> {
    if (this.limit === 0 || Number.isNaN(value)) return false;
    const worst = this.#ranking[this.#ranking.length - 1];
    const full = this.#ranking.length >= this.limit;
    if (full && !isImprovement(value, worst.value, this.direction)) return false;
    const name = `${BEST_CHECKPOINT_PREFIX}${step}`;
    await this.#run.saveCheckpoint(name, {
      model,
      step,
      extra: { ...extra, metric: this.metric, value },
    });
    const entry = { name, step, value };
    // Insert after every kept checkpoint that is at least as good (earlier wins ties).
    const at = this.#ranking.findIndex((c) => isImprovement(value, c.value, this.direction));
    this.#ranking.splice(at < 0 ? this.#ranking.length : at, 0, entry);
    while (this.#ranking.length > this.limit) {
      await this.#run.removeCheckpoint(this.#ranking.pop()!.name);
    }
    return true;
  }

  /**
   * Rebuilds the ranking from the run folder when resuming at `resumeStep`: keeps best
   * checkpoints of this metric up to that step and deletes later ones (saved by the
   * interrupted run after its last checkpoint), and any beyond the limit.
   */
  async load(resumeStep: number): Promise<void> {
    const found: RankedCheckpoint[] = [];
    for (const info of await this.#run.listCheckpoints()) {
      if (!info.name.startsWith(BEST_CHECKPOINT_PREFIX)) continue;
      const value = info.extra.value;
      if (
        info.step > resumeStep || info.extra.metric !== this.metric || typeof value !== "number"
      ) {
        await this.#run.removeCheckpoint(info.name);
        continue;
      }
      found.push({ name: info.name, step: info.step, value });
    }
    found.sort((a, b) =>
      isImprovement(a.value, b.value, this.direction)
        ? -1
        : isImprovement(b.value, a.value, this.direction)
        ? 1
        : a.step - b.step
    );
    this.#ranking = found;
    while (this.#ranking.length > this.limit) {
      await this.#run.removeCheckpoint(this.#ranking.pop()!.name);
    }
  }
}
