/**
 * Train/val/test splits of segmentation samples: by named subjects when the data has them
 * (T19 for validation, T20 for training), else by a seeded fraction of the images.
 *
 * @module
 */
import { roundHalfEven } from "../data/splits.ts";
import { Rng } from "../runtime/rng.ts";

/** Options for {@linkcode splitSamples}. */
export interface SegSplitOptions {
  /** Subjects whose samples all go to validation. Default none. */
  valSubjects?: readonly string[];
  /** Subjects whose samples all go to test. Default none. */
  testSubjects?: readonly string[];
  /**
   * When no `valSubjects` are named: the fraction in [0, 1) of the remaining (train-pool)
   * images held out for validation, image-wise. Default 0 (no validation set). Naming both
   * `valSubjects` and a fraction > 0 is an error.
   */
  valFraction?: number;
  /** Seed of the image-wise draw. */
  seed: number;
}

/** The three splits; each keeps the input order. */
export interface SegSplits<T> {
  train: T[];
  val: T[];
  test: T[];
}

/**
 * Splits samples subject-wise (`valSubjects`, `testSubjects`), or holds out a fraction of
 * the train pool image-wise: the pool's ids are sorted, shuffled by `new Rng(seed)`, and the
 * first round(f x n) (ties to even, as Python's round) go to validation, at least 1 when
 * f > 0 and n > 1 and at most n - 1, so training always keeps an image.
 *
 * @example
 * ```ts
 * import { splitSamples } from "./seg_splits.ts";
 * const samples = ["T19_a", "T19_b", "T20_a"].map((id) => ({ id, subject: id.slice(0, 3) }));
 * const { train, val, test } = splitSamples(samples, { valSubjects: ["T19"], seed: 0 });
 * console.assert(train.length === 1 && val.length === 2 && test.length === 0);
 * ```
 */
export function splitSamples<T extends { id: string; subject: string }>(
  samples: readonly T[],
  options: SegSplitOptions,
): SegSplits<T> {
  const valSubjects = options.valSubjects ?? [];
  const testSubjects = options.testSubjects ?? [];
  const valFraction = options.valFraction ?? 0;
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new RangeError(
      `Cannot split samples as valFraction must be in [0, 1): current value is ${valFraction}`,
    );
  }
  if (valSubjects.length > 0 && valFraction > 0) {
    throw new RangeError(
      `Cannot split samples as valSubjects and valFraction exclude each other: current value is ` +
        `valSubjects ${JSON.stringify(valSubjects)} and valFraction ${valFraction}`,
    );
  }
  const ids = new Set<string>();
  for (const sample of samples) {
    if (ids.has(sample.id)) {
      throw new RangeError(
        `Cannot split samples as sample ids must be unique: current value is "${sample.id}" twice`,
      );
    }
    ids.add(sample.id);
  }
  const known = [...new Set(samples.map((s) => s.subject))].sort();
  for (const [what, names] of [["valSubjects", valSubjects], ["testSubjects", testSubjects]]) {
    const unknown = (names as readonly string[]).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new RangeError(
        `Cannot split samples as ${what} must be among the known subjects ` +
          `(${known.join(", ")}): current value is ${JSON.stringify(unknown)}`,
      );
    }
  }
  const both = valSubjects.filter((name) => testSubjects.includes(name));
  if (both.length > 0) {
    throw new RangeError(
      `Cannot split samples as a subject cannot be in both val and test: current value is ` +
        JSON.stringify(both),
    );
  }
  const split = new Map<string, "train" | "val" | "test">();
  const pool: string[] = [];
  for (const sample of samples) {
    if (testSubjects.includes(sample.subject)) split.set(sample.id, "test");
    else if (valSubjects.includes(sample.subject)) split.set(sample.id, "val");
    else pool.push(sample.id);
  }
  pool.sort();
  const n = pool.length;
  const count = valFraction > 0
    ? Math.min(Math.max(roundHalfEven(valFraction * n), n > 1 ? 1 : 0), Math.max(n - 1, 0))
    : 0;
  const held = new Set(new Rng(options.seed).shuffle([...pool]).slice(0, count));
  for (const id of pool) split.set(id, held.has(id) ? "val" : "train");
  const result: SegSplits<T> = { train: [], val: [], test: [] };
  for (const sample of samples) result[split.get(sample.id)!].push(sample);
  return result;
}
