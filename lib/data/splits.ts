/**
 * Subject-wise splits (RECIPES.md step 11): the sorted subject ids are shuffled with a
 * seeded generator; each split but the last gets round(f x n) subjects, the last the rest.
 * A subject is never in two splits. Optional stratification applies the same rule within
 * each stratum (e.g. per gender), so every split keeps the label's proportions.
 *
 * @module
 */
import type { Rng } from "../runtime/rng.ts";

/** Options for {@linkcode splitSubjects}. */
export interface SplitOptions {
  /** Split names in order. Default ["train", "val", "test"]. */
  names?: string[];
  /** Fractions per split, summing to 1. Default [0.8, 0.1, 0.1]. */
  fractions?: number[];
  /** Stratum of each subject (e.g. its gender); subjects without one form their own stratum. */
  strata?: Map<string, string>;
}

/**
 * Assigns each subject to a split.
 *
 * @example
 * ```ts
 * import { Rng } from "../runtime/rng.ts";
 * import { splitSubjects } from "./splits.ts";
 * const ids = Array.from({ length: 10 }, (_, i) => `S${i}`);
 * const split = splitSubjects(ids, new Rng(0));
 * console.assert([...split.values()].filter((s) => s === "train").length === 8);
 * ```
 */
export function splitSubjects(
  subjects: Iterable<string>,
  rng: Rng,
  options: SplitOptions = {},
): Map<string, string> {
  const names = options.names ?? ["train", "val", "test"];
  const fractions = options.fractions ?? [0.8, 0.1, 0.1];
  if (names.length !== fractions.length || names.length === 0) {
    throw new RangeError(
      `Cannot split subjects as names and fractions must have the same length: current value is ` +
        `${names.length} names, ${fractions.length} fractions`,
    );
  }
  const total = fractions.reduce((a, b) => a + b, 0);
  if (fractions.some((f) => !(f >= 0)) || Math.abs(total - 1) > 1e-9) {
    throw new RangeError(
      `Cannot split subjects as fractions must be >= 0 and sum to 1: current value is ${
        fractions.join(", ")
      }`,
    );
  }
  const unique = [...new Set(subjects)].sort();
  const strata = new Map<string, string[]>();
  for (const id of unique) {
    const key = options.strata?.get(id) ?? "";
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key)!.push(id);
  }
  const assignment = new Map<string, string>();
  // Strata in sorted order so the draw does not depend on insertion order.
  for (const key of [...strata.keys()].sort()) {
    const ids = rng.shuffle([...strata.get(key)!]);
    let start = 0;
    names.forEach((name, i) => {
      const count = i === names.length - 1
        ? ids.length - start
        : roundHalfEven(fractions[i] * ids.length);
      for (const id of ids.slice(start, start + count)) assignment.set(id, name);
      start = Math.min(ids.length, start + count);
    });
  }
  return assignment;
}

/**
 * Rounds to the nearest integer, ties to even, as Python's round() does, so that split
 * sizes equal the original project's (round(2.5) is 2 there, Math.round gives 3).
 *
 * @example
 * ```ts
 * import { roundHalfEven } from "./splits.ts";
 * console.assert(roundHalfEven(2.5) === 2 && roundHalfEven(3.5) === 4 && roundHalfEven(1.6) === 2);
 * ```
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  // Products like 0.1 * 25 are 2.5000000000000004 in float64; Python sees the same value,
  // so compare exactly, as it does.
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
