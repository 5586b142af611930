/**
 * Per-task metrics as a short table for the terminal.
 *
 * @module
 */
import type { LabelSpec } from "../../lib/data/labels.ts";
import type { EvaluationResult } from "../../lib/train/evaluate_model.ts";

/** Formats an evaluation: one line per task with its headline metrics. */
export function formatEvaluation(
  split: string,
  evaluation: EvaluationResult,
  tasks: LabelSpec[],
): string {
  const lines = [`${split} metrics (loss ${evaluation.loss.toFixed(4)}):`];
  for (const task of tasks) {
    const m = evaluation.tasks[task.name] as unknown as Record<string, unknown>;
    if (m === undefined) continue;
    const n = m.n as number;
    if (task.kind === "classification") {
      const f = (k: string) => typeof m[k] === "number" ? (m[k] as number).toFixed(3) : "-";
      lines.push(
        `  ${task.name.padEnd(14)} n ${String(n).padStart(5)}  balanced acc ${
          f("balanced_accuracy")
        }  ` +
          `macro-F1 ${f("macro_f1")}  acc ${f("accuracy")}` +
          (typeof m.auroc === "number" && Number.isFinite(m.auroc)
            ? `  AUROC ${(m.auroc as number).toFixed(3)}`
            : m.auroc === undefined
            ? ""
            : "  AUROC n/a (one class)"),
      );
    } else {
      lines.push(
        `  ${task.name.padEnd(14)} n ${String(n).padStart(5)}  MAE ${
          (m.mae as number).toFixed(3)
        }  ` +
          `RMSE ${(m.rmse as number).toFixed(3)}`,
      );
    }
  }
  return lines.join("\n");
}
