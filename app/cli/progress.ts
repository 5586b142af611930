/**
 * Draws the library's progress events as a terminal progress bar (cli-progress) on
 * stderr, so stdout stays free for results (e.g. bench JSON).
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { ProgressEvent, ProgressListener } from "../../lib/train/progress.ts";

/** A progress listener that also knows how to finish its bar. */
export interface ProgressBar {
  listener: ProgressListener;
  stop(): void;
}

/** Formats seconds as "1h02m", "3m05s" or "42s". */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "--";
  const s = Math.round(seconds);
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Formats the metrics of an event compactly: "loss 0.412 lr 2.0e-4". */
export function formatMetrics(metrics: ProgressEvent["metrics"]): string {
  if (metrics === undefined) return "";
  return Object.entries(metrics).map(([k, v]) => {
    const abs = Math.abs(v);
    const text = abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? v.toExponential(1) : v.toFixed(3);
    return `${k} ${text}`;
  }).join(" ");
}

/**
 * Creates a bar for one job. `stream` defaults to process stderr; tests pass a fake.
 *
 * @example
 * ```ts ignore
 * const bar = createProgressBar();
 * job({ onProgress: bar.listener });
 * bar.stop();
 * ```
 */
export function createProgressBar(
  options: { stream?: NodeJS.WritableStream; noTty?: boolean } = {},
): ProgressBar {
  const bar = new cliProgress.SingleBar({
    format: "{job} |{bar}| {value}/{total} ETA {etaText} {metricsText} {message}",
    barsize: 30,
    hideCursor: false,
    clearOnComplete: false,
    stream: options.stream,
    noTTYOutput: options.noTty ?? false,
    notTTYSchedule: 5000,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const payload = (event: ProgressEvent) => ({
    job: event.job,
    etaText: formatEta(event.etaSeconds),
    metricsText: formatMetrics(event.metrics),
    message: event.message ?? "",
  });
  return {
    listener(event) {
      if (!started) {
        bar.start(event.total ?? 0, event.done, payload(event));
        started = true;
      }
      if (event.total !== undefined) bar.setTotal(event.total);
      bar.update(event.done, payload(event));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
