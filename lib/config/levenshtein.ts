/**
 * Edit distance, for "did you mean" hints on unknown keys.
 *
 * @module
 */

/**
 * The Levenshtein distance between two strings: the fewest single-character
 * insertions, deletions and substitutions that turn `a` into `b`.
 *
 * @example
 * ```ts
 * import { levenshteinDistance } from "./levenshtein.ts";
 * console.assert(levenshteinDistance("train.lrr", "train.lr") === 1);
 * console.assert(levenshteinDistance("kitten", "sitting") === 3);
 * ```
 */
export function levenshteinDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // One row of the (a.length + 1) x (b.length + 1) dynamic-programming table.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate nearest to `name`, or `undefined` when none is close enough to be a
 * plausible typo (distance above `maxDistance`, default 40% of the name's length and at
 * least 2). Ties go to the earlier candidate.
 *
 * @example
 * ```ts
 * import { closestName } from "./levenshtein.ts";
 * console.assert(closestName("run.sed", ["run.seed", "run.out"]) === "run.seed");
 * console.assert(closestName("zzzzzzzz", ["run.seed"]) === undefined);
 * ```
 */
export function closestName(
  name: string,
  candidates: Iterable<string>,
  options: { maxDistance?: number } = {},
): string | undefined {
  const maxDistance = options.maxDistance ?? Math.max(2, Math.ceil(name.length * 0.4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshteinDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}
