/**
 * Early stopping: stop training once a validation metric has not improved for `patience`
 * evaluations in a row.
 *
 * @module
 */
import { isImprovement, type MetricDirection } from "../classify/metric_direction.ts";

/** What a checkpoint stores to continue counting after a resume. */
export interface EarlyStoppingState {
  /** The best value so far (null before the first evaluation). */
  best: number | null;
  /** Evaluations since the last improvement. */
  badEvaluations: number;
}

/** Options of {@linkcode EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping; 0 never stops. */
  patience: number;
  direction: MetricDirection;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
}

/**
 * Counts evaluations without improvement.
 *
 * @example
 * ```ts
 * import { EarlyStopping } from "./early_stopping.ts";
 * const stopper = new EarlyStopping({ patience: 2, direction: "min" });
 * console.assert(!stopper.update(1.0) && !stopper.update(1.1) && stopper.update(1.2));
 * ```
 */
export class EarlyStopping {
  readonly patience: number;
  readonly direction: MetricDirection;
  readonly minDelta: number;
  #best: number | undefined;
  #bad = 0;

  constructor(options: EarlyStoppingOptions) {
    if (!Number.isInteger(options.patience) || options.patience < 0) {
      throw new RangeError(
        `Cannot stop early as patience must be a non-negative integer: current value is ${options.patience}`,
      );
    }
    this.patience = options.patience;
    this.direction = options.direction;
    this.minDelta = options.minDelta ?? 0;
  }

  /** Records an evaluation; true when training should stop now. */
  update(value: number): boolean {
    if (isImprovement(value, this.#best, this.direction, this.minDelta)) {
      this.#best = value;
      this.#bad = 0;
    } else {
      this.#bad += 1;
    }
    return this.patience > 0 && this.#bad >= this.patience;
  }

  /** The counter's state, for a checkpoint. */
  state(): EarlyStoppingState {
    return { best: this.#best ?? null, badEvaluations: this.#bad };
  }

  /** Restores a {@linkcode state}. */
  restore(state: EarlyStoppingState): void {
    this.#best = state.best ?? undefined;
    this.#bad = state.badEvaluations;
  }
}
