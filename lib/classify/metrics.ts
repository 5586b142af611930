/**
 * Classification and regression metrics: the one module every report, checkpoint ranking
 * and evaluation reads. Plain TypeScript over arrays, equal to scikit-learn 1.2 with its
 * default arguments (tests/classify/fixtures/metric_goldens.json). Class labels are
 * integers 0..K-1.
 *
 * @module
 */
/**
 * Fraction of rows where the prediction equals the truth (`accuracy_score`).
 *
 * @example
 * ```ts
 * import { accuracy } from "./metrics.ts";
 * console.assert(accuracy([0, 1, 1, 0], [0, 1, 0, 0]) === 0.75);
 * ```
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  _checkPair("accuracy", yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/**
 * Counts `[true class][predicted class]` over classes 0..numClasses-1 (`confusion_matrix`
 * with `labels=range(numClasses)`). Default `numClasses`: the largest label + 1.
 *
 * @example
 * ```ts
 * import { confusionMatrix } from "./metrics.ts";
 * console.assert(JSON.stringify(confusionMatrix([0, 1, 1], [0, 0, 1])) === "[[1,0],[1,1]]");
 * ```
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses = _maxLabel(yTrue, yPred) + 1,
): number[][] {
  _checkPair("confusionMatrix", yTrue, yPred, { allowEmpty: true });
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    for (const label of [yTrue[i], yPred[i]]) {
      if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
        throw new RangeError(
          `Cannot count the confusion matrix as labels must be integers in [0, ${numClasses}): ` +
            `current value at row ${i} is ${label}`,
        );
      }
    }
    matrix[yTrue[i]][yPred[i]]++;
  }
  return matrix;
}

/**
 * Mean recall over the classes present in `yTrue` (`balanced_accuracy_score`): classes
 * that are only predicted do not count.
 *
 * @example
 * ```ts
 * import { balancedAccuracy } from "./metrics.ts";
 * console.assert(balancedAccuracy([0, 0, 0, 1], [0, 0, 0, 0]) === 0.5);
 * ```
 */
export function balancedAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  _checkPair("balancedAccuracy", yTrue, yPred);
  const matrix = confusionMatrix(yTrue, yPred);
  let sum = 0;
  let present = 0;
  matrix.forEach((row, k) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support > 0) [sum, present] = [sum + row[k] / support, present + 1];
  });
  return sum / present;
}

/**
 * Unweighted mean of per-class F1 over the classes in `yTrue` or `yPred` (`f1_score(...,
 * average="macro")`); a class never predicted has precision 0, so F1 0.
 *
 * @example
 * ```ts
 * import { macroF1 } from "./metrics.ts";
 * console.assert(Math.abs(macroF1([0, 0, 1, 1], [0, 0, 0, 1]) - (0.8 + 2 / 3) / 2) < 1e-15);
 * ```
 */
export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  _checkPair("macroF1", yTrue, yPred);
  const matrix = confusionMatrix(yTrue, yPred);
  const k = matrix.length;
  const scores: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c][c];
    const trueSum = matrix[c].reduce((a, b) => a + b, 0);
    let predSum = 0;
    for (let r = 0; r < k; r++) predSum += matrix[r][c];
    if (trueSum === 0 && predSum === 0) continue; // in neither: not one of sklearn's labels
    const precision = predSum === 0 ? 0 : tp / predSum;
    const recall = trueSum === 0 ? 0 : tp / trueSum;
    const denom = precision + recall;
    scores.push(denom === 0 ? 0 : 2 * precision * recall / denom);
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

/**
 * Area under the ROC curve of a binary task (`roc_auc_score`): truth 0/1, `scores` the
 * positive class's score; tied scores count half. NaN when only one class is present
 * (where scikit-learn raises), so a small validation split does not stop a run.
 *
 * @example
 * ```ts
 * import { rocAuc } from "./metrics.ts";
 * console.assert(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) === 0.75);
 * ```
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  _checkPair("rocAuc", yTrue, scores);
  const order = Array.from({ length: yTrue.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a]);
  // The ROC curve's points at each distinct threshold, then the trapezoid rule under it.
  const fps = [0];
  const tps = [0];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const label = yTrue[order[i]];
    if (label !== 0 && label !== 1) {
      throw new RangeError(
        `Cannot compute the AUROC as labels must be 0 or 1: current value at row ${
          order[i]
        } is ${label}`,
      );
    }
    if (label === 1) tp++;
    else fp++;
    if (i === order.length - 1 || scores[order[i + 1]] !== scores[order[i]]) {
      fps.push(fp);
      tps.push(tp);
    }
  }
  if (tp === 0 || fp === 0) return NaN;
  let area = 0;
  for (let i = 1; i < fps.length; i++) {
    const dx = fps[i] / fp - fps[i - 1] / fp;
    area += dx * (tps[i] / tp + tps[i - 1] / tp) / 2;
  }
  return area;
}

/**
 * Mean absolute error (`mean_absolute_error`).
 *
 * @example
 * ```ts
 * import { meanAbsoluteError } from "./metrics.ts";
 * console.assert(meanAbsoluteError([1, 2], [2, 4]) === 1.5);
 * ```
 */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  _checkPair("meanAbsoluteError", yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs(yPred[i] - yTrue[i]);
  return sum / yTrue.length;
}

/**
 * Root mean squared error (`mean_squared_error(..., squared=False)`).
 *
 * @example
 * ```ts
 * import { rootMeanSquaredError } from "./metrics.ts";
 * console.assert(rootMeanSquaredError([0, 0], [3, 4]) === Math.sqrt(12.5));
 * ```
 */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  _checkPair("rootMeanSquaredError", yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (yPred[i] - yTrue[i]) ** 2;
  return Math.sqrt(sum / yTrue.length);
}

/** The metrics of a classification task on its labelled rows. */
export interface ClassificationMetrics {
  /** Labelled rows (rows with target -1 are left out). */
  n: number;
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
  /** Binary tasks only: AUROC of the class-1 probability. */
  auroc?: number;
  /** `[true][predicted]` counts over all classes. */
  confusion_matrix: number[][];
}

/**
 * Every classification metric from targets (`-1` = missing, left out) and probabilities
 * `probs` (row-major `[N, K]`); the prediction is the first most probable class. With no
 * labelled row, the rates are NaN and the matrix is all zeros.
 *
 * @example
 * ```ts
 * import { classificationMetrics } from "./metrics.ts";
 * const m = classificationMetrics([1, 0, -1], [0.2, 0.8, 0.6, 0.4, 0.5, 0.5], 2);
 * console.assert(m.n === 2 && m.accuracy === 1 && m.auroc === 1);
 * ```
 */
export function classificationMetrics(
  targets: ArrayLike<number>,
  probs: ArrayLike<number>,
  numClasses: number,
): ClassificationMetrics {
  if (probs.length !== targets.length * numClasses) {
    throw new TypeError(
      `Error in classificationMetrics: probs must be [N, K] = [${targets.length}, ` +
        `${numClasses}] but got ${probs.length} values`,
    );
  }
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const positive: number[] = [];
  for (let i = 0; i < targets.length; i++) {
    if (targets[i] === -1) continue;
    let best = 0;
    for (let k = 1; k < numClasses; k++) {
      if (probs[i * numClasses + k] > probs[i * numClasses + best]) best = k;
    }
    yTrue.push(targets[i]);
    yPred.push(best);
    positive.push(probs[i * numClasses + 1]);
  }
  const metrics: ClassificationMetrics = {
    n: yTrue.length,
    accuracy: yTrue.length ? accuracy(yTrue, yPred) : NaN,
    balanced_accuracy: yTrue.length ? balancedAccuracy(yTrue, yPred) : NaN,
    macro_f1: yTrue.length ? macroF1(yTrue, yPred) : NaN,
    confusion_matrix: confusionMatrix(yTrue, yPred, numClasses),
  };
  if (numClasses === 2) metrics.auroc = yTrue.length ? rocAuc(yTrue, positive) : NaN;
  return metrics;
}

/** The metrics of a regression task on its labelled rows, in the label's units. */
export interface RegressionMetrics {
  /** Labelled rows (rows with a NaN target are left out). */
  n: number;
  mae: number;
  rmse: number;
}

/**
 * MAE and RMSE over rows whose target is not NaN (NaN when there is none).
 *
 * @example
 * ```ts
 * import { regressionMetrics } from "./metrics.ts";
 * const m = regressionMetrics([1, NaN, 3], [2, 0, 3]);
 * console.assert(m.n === 2 && m.mae === 0.5 && m.rmse === Math.sqrt(0.5));
 * ```
 */
export function regressionMetrics(
  targets: ArrayLike<number>,
  predictions: ArrayLike<number>,
): RegressionMetrics {
  _checkPair("regressionMetrics", targets, predictions, { allowEmpty: true });
  const yTrue: number[] = [];
  const yPred: number[] = [];
  for (let i = 0; i < targets.length; i++) {
    if (Number.isNaN(targets[i])) continue;
    yTrue.push(targets[i]);
    yPred.push(predictions[i]);
  }
  if (yTrue.length === 0) return { n: 0, mae: NaN, rmse: NaN };
  return {
    n: yTrue.length,
    mae: meanAbsoluteError(yTrue, yPred),
    rmse: rootMeanSquaredError(yTrue, yPred),
  };
}

function _checkPair(
  name: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { allowEmpty?: boolean } = {},
): void {
  if (a.length !== b.length || (a.length === 0 && !options.allowEmpty)) {
    throw new RangeError(
      `Error in ${name}: truth and predictions must have the same non-zero length but got ` +
        `${a.length} and ${b.length}`,
    );
  }
}

function _maxLabel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < a.length; i++) max = Math.max(max, a[i], b[i]);
  return max;
}
