/**
 * The order in which training rows are visited: a fresh shuffle each epoch, or rows drawn
 * class-balanced, both from the run's {@linkcode Rng} so a checkpoint can replay them.
 *
 * @module
 */
import type { Rng, RngState } from "../runtime/rng.ts";

/** Options of {@linkcode EpochSampler}. */
export interface EpochSamplerOptions {
  /** Rows per step; an epoch's last batch may be smaller. */
  batchSize: number;
  /**
   * Class targets (-1 = missing) to balance: each epoch then draws `size` rows with
   * replacement, every class equally often among the labelled rows, while unlabelled rows
   * keep their share. Default: no balancing (a shuffle of every row).
   */
  balanceTargets?: ArrayLike<number>;
}

/** What a checkpoint stores to replay the sampler: the RNG state where an epoch began. */
export interface EpochSamplerState {
  epoch: number;
  rngState: RngState;
}

/**
 * Splits each epoch's order of rows into `ceil(size / batchSize)` batches. Epoch e's order
 * is drawn from `rng` when its first batch is asked for; `state()` is the RNG state just
 * before that draw, so `restore(state)` replays the epoch exactly.
 *
 * @example
 * ```ts
 * import { Rng } from "../runtime/rng.ts";
 * import { EpochSampler } from "./epoch_sampler.ts";
 * const sampler = new EpochSampler(5, new Rng(1), { batchSize: 2 });
 * const epoch0 = [0, 1, 2].flatMap((step) => sampler.batchAt(step));
 * console.assert(sampler.stepsPerEpoch === 3 && [...epoch0].sort().join() === "0,1,2,3,4");
 * const replay = new EpochSampler(5, new Rng(99), { batchSize: 2 });
 * replay.restore(sampler.state());
 * console.assert(replay.batchAt(1).join() === sampler.batchAt(1).join());
 * ```
 */
export class EpochSampler {
  readonly size: number;
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  #rng: Rng;
  #cumulative: Float64Array | null = null;
  #epoch = -1;
  #order: number[] = [];
  #state: RngState;

  constructor(size: number, rng: Rng, options: EpochSamplerOptions) {
    const { batchSize, balanceTargets } = options;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(
        `Cannot sample rows as there must be at least one: current value is ${size}`,
      );
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `Cannot sample rows as batchSize must be a positive integer: current value is ${batchSize}`,
      );
    }
    this.size = size;
    this.batchSize = batchSize;
    this.stepsPerEpoch = Math.ceil(size / batchSize);
    this.#rng = rng;
    this.#state = rng.state();
    if (balanceTargets !== undefined) this.#cumulative = _balancedCumulative(balanceTargets, size);
  }

  /** The epoch of a step (0-based). */
  epochOf(step: number): number {
    return Math.floor(step / this.stepsPerEpoch);
  }

  /** The row indices of step `step`; steps must not go back to an earlier epoch. */
  batchAt(step: number): number[] {
    const epoch = this.epochOf(step);
    if (!Number.isInteger(step) || step < 0 || epoch < this.#epoch) {
      throw new RangeError(
        `Cannot draw a batch as steps must not go back before epoch ${this.#epoch}: current ` +
          `value is step ${step}`,
      );
    }
    while (this.#epoch < epoch) this.#drawEpoch();
    const start = (step - epoch * this.stepsPerEpoch) * this.batchSize;
    return this.#order.slice(start, Math.min(start + this.batchSize, this.size));
  }

  /** The RNG state at the start of the current epoch (before its order was drawn). */
  state(): EpochSamplerState {
    return { epoch: Math.max(this.#epoch, 0), rngState: this.#state };
  }

  /** Continues from a {@linkcode state}: the next batch redraws that epoch's order. */
  restore(state: EpochSamplerState): void {
    this.#rng.setState(state.rngState);
    this.#epoch = state.epoch - 1;
    this.#order = [];
  }

  #drawEpoch(): void {
    this.#state = this.#rng.state();
    this.#epoch += 1;
    const cumulative = this.#cumulative;
    if (cumulative === null) {
      this.#order = this.#rng.shuffle(Array.from({ length: this.size }, (_, i) => i));
      return;
    }
    const total = cumulative[cumulative.length - 1];
    this.#order = Array.from({ length: this.size }, () => {
      // The first row whose cumulative weight exceeds u (binary search).
      const u = this.#rng.float() * total;
      let [lo, hi] = [0, cumulative.length - 1];
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    });
  }
}

/** Cumulative row weights: labelled rows share their mass equally among classes. */
function _balancedCumulative(targets: ArrayLike<number>, size: number): Float64Array {
  if (targets.length !== size) {
    throw new RangeError(
      `Cannot balance classes as there must be one target per row (${size}): current value ` +
        `has ${targets.length}`,
    );
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < size; i++) {
    if (targets[i] !== -1) counts.set(targets[i], (counts.get(targets[i]) ?? 0) + 1);
  }
  const labelled = [...counts.values()].reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    // Each class gets labelled/K of the mass (1 per row unbalanced); unlabelled rows keep 1.
    sum += targets[i] === -1 ? 1 : labelled / counts.size / counts.get(targets[i])!;
    cumulative[i] = sum;
  }
  return cumulative;
}
