/**
 * Whole-field segmentation metrics as a short table for the terminal.
 *
 * @module
 */
import type { MaskEvaluation } from "../../lib/segment/metrics.ts";

/** One line per image and the pooled line, with the policy they were computed under. */
export function formatFieldEvaluation(evaluation: MaskEvaluation, title = "test fields"): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));
  const lines = [
    `${title} (empty-mask policy "${evaluation.policy.empty}"):`,
    ...evaluation.per_image.map((m) =>
      `  ${m.id.padEnd(18)} Dice ${f(m.dice)}  IoU ${f(m.iou)}  precision ${f(m.precision)}  ` +
      `recall ${f(m.recall)}`
    ),
    `  ${"pooled".padEnd(18)} Dice ${f(evaluation.pooled.dice)}  IoU ${
      f(evaluation.pooled.iou)
    }  precision ${f(evaluation.pooled.precision)}  recall ${f(evaluation.pooled.recall)}`,
  ];
  return lines.join("\n");
}
