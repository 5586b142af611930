/**
 * Progress events: how long jobs report what they are doing. A job never prints; the CLI
 * draws these as a progress bar and the web app as live charts.
 *
 * @module
 */

/** One progress report from a long job. */
export interface ProgressEvent {
  /** The job's name, e.g. "train", "preprocess", "bench". */
  job: string;
  /** Units of work done so far (steps, files, windows). */
  done: number;
  /** Units of work in total, when known. */
  total?: number;
  /** A short description of the current item ("Subject00_1.edf", "epoch 3"). */
  message?: string;
  /** Named scalar values worth plotting (loss, lr, accuracy). */
  metrics?: Record<string, number>;
  /** Estimated seconds until done, when it can be estimated. */
  etaSeconds?: number;
}

/** A callback that receives progress events. */
export type ProgressListener = (event: ProgressEvent) => void;

/**
 * Estimates time to completion from the recent rate of progress (an exponential moving
 * average of seconds per unit, so a slow first step does not dominate the estimate).
 *
 * @example
 * ```ts
 * import { EtaEstimator } from "./progress.ts";
 * const eta = new EtaEstimator(100, { now: () => 0 });
 * eta.update(10, 5); // 10 units after 5 s
 * console.assert(eta.etaSeconds() === 45);
 * ```
 */
export class EtaEstimator {
  #total: number;
  #now: () => number;
  #lastDone = 0;
  #lastTime: number;
  #secondsPerUnit: number | null = null;
  #smoothing: number;

  constructor(total: number, options: { now?: () => number; smoothing?: number } = {}) {
    this.#total = total;
    this.#now = options.now ?? (() => performance.now() / 1000);
    this.#lastTime = this.#now();
    this.#smoothing = options.smoothing ?? 0.3;
  }

  /** Records that `done` units are finished at time `at` (seconds; default now). */
  update(done: number, at: number = this.#now()): void {
    const units = done - this.#lastDone;
    if (units <= 0) return;
    const rate = (at - this.#lastTime) / units;
    this.#secondsPerUnit = this.#secondsPerUnit === null
      ? rate
      : this.#smoothing * rate + (1 - this.#smoothing) * this.#secondsPerUnit;
    this.#lastDone = done;
    this.#lastTime = at;
  }

  /** Seconds left, or undefined before the first update. */
  etaSeconds(): number | undefined {
    if (this.#secondsPerUnit === null) return undefined;
    return Math.max(0, (this.#total - this.#lastDone) * this.#secondsPerUnit);
  }
}
