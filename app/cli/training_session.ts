/**
 * What every training command does around its job: a progress bar, and Ctrl-C turned into
 * an abort signal that stops after the current step (the loop then saves `last`).
 *
 * @module
 */
import { createProgressBar } from "./progress.ts";
import type { ProgressListener } from "../../lib/train/progress.ts";

/**
 * Runs `job` with a progress listener and an abort signal wired to SIGINT; removes both
 * when it ends.
 */
export async function withTrainingSession<T>(
  log: (message: string) => void,
  job: (session: { onProgress: ProgressListener; signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => {
    log("stopping after this step (checkpoints/last is saved; --resume continues)");
    abort.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  const bar = createProgressBar();
  try {
    return await job({ onProgress: bar.listener, signal: abort.signal });
  } finally {
    bar.stop();
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

/** The line that tells how to continue a stopped run. */
export function stoppedLine(steps: number, totalSteps: number, out: string): string {
  return `stopped at step ${steps}/${totalSteps}: deno task train --resume ${out}`;
}
