/**
 * The benchmark harness: figures, their peers, and the machine they ran on.
 *
 * Every figure is measured in the same command, on the same machine, as its peer (a
 * Python reference from Debian's packages), and printed as one JSON object:
 * `name, unit, value, peer, peer_value, ratio, backend, machine[, note]`.
 * `ratio` is greater than 1 when ours is better, whatever the unit.
 *
 * @module
 */
import { probeWebGpuAdapter } from "../../../lib/runtime/mod.ts";

/** One printed benchmark row (ARCHITECTURE.md, "Benchmarks"). */
export interface BenchRow {
  name: string;
  unit: string;
  value: number;
  peer: string;
  peer_value: number | null;
  ratio: number | null;
  backend: string;
  machine: string;
  note?: string;
}

/** What a figure gets to run with. */
export interface BenchContext {
  quick: boolean;
  machine: string;
  /** Backends that can start here, in the order figures should try them. */
  backends: string[];
  /** Reports progress on stderr. */
  log(message: string): void;
}

/** A named group of rows (e.g. "matmul" gives one row per backend). */
export interface BenchFigure {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** Whether a unit is better when larger (throughput) or smaller (time). */
export function ratioFor(unit: string, ours: number, peer: number | null): number | null {
  if (peer === null || !Number.isFinite(peer) || peer === 0 || ours === 0) return null;
  const higherIsBetter = /\/s$|per s|GFLOP\/s|samples\/s/i.test(unit);
  return higherIsBetter ? ours / peer : peer / ours;
}

/** What a figure knows about one row; {@linkcode benchRow} rounds it and adds the ratio. */
export interface RowFields {
  name: string;
  unit: string;
  value: number;
  peer: string;
  peerValue: number | null;
  backend: string;
  machine: string;
  /** Notes to join with "; " (empty or undefined ones are left out). */
  notes?: (string | undefined)[];
  /** Decimals kept in value and peer_value. Default 3. */
  digits?: number;
}

/** One printed row: values rounded, ratio from {@linkcode ratioFor}, notes joined. */
export function benchRow(fields: RowFields): BenchRow {
  const round = (v: number) => Number(v.toFixed(fields.digits ?? 3));
  const notes = (fields.notes ?? []).filter((n): n is string => n !== undefined && n !== "");
  return {
    name: fields.name,
    unit: fields.unit,
    value: round(fields.value),
    peer: fields.peer,
    peer_value: fields.peerValue === null ? null : round(fields.peerValue),
    ratio: ratioFor(fields.unit, fields.value, fields.peerValue),
    backend: fields.backend,
    machine: fields.machine,
    ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
  };
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Warm-up steps of a data-parallel train step: the gradient worker runs our kernels' JS
 * in V8's lower tiers for its first steps (measured on the U-Net w16: 920, 760, 550, then
 * about 520 ms a shard), while a training run takes thousands of steps.
 */
export const PARALLEL_WARMUP = 3;

/** Times `fn` `repeats` times after `warmup` calls; returns the median seconds. */
export async function timeMedian(
  fn: () => Promise<void>,
  options: { warmup?: number; repeats: number },
): Promise<number> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const seconds: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const t0 = performance.now();
    await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return median(seconds);
}

/** The Python interpreter with Debian's scientific packages (PLATFORM.md). */
export const PYTHON = "/usr/bin/python3";

/** Result of a peer script: its JSON on success, or why it could not run. */
export type PeerResult = { ok: true; value: Record<string, unknown> } | {
  ok: false;
  note: string;
};

/** Runs `app/cli/bench/peers/<script>` with a JSON argument and parses its JSON output. */
export async function runPeer(script: string, args: unknown): Promise<PeerResult> {
  const path = new URL(`./peers/${script}`, import.meta.url).pathname;
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(PYTHON, {
      args: [path, JSON.stringify(args)],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    return { ok: false, note: `peer did not start (${PYTHON}): ${(error as Error).message}` };
  }
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").pop() ?? "";
    return { ok: false, note: `peer ${script} failed: ${stderr}` };
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(output.stdout)) };
  } catch {
    return { ok: false, note: `peer ${script} printed no JSON` };
  }
}

/** A one-line description of this machine: cores, CPU model, WebGPU adapter. */
export async function describeMachine(): Promise<string> {
  // Deno refuses /proc without --allow-all, so the Python side reads the CPU model.
  const peer = await runPeer("machine.py", {});
  const cpu = peer.ok ? String(peer.value.cpu) : "unknown CPU";
  const adapter = await probeWebGpuAdapter();
  const gpu = adapter === null
    ? "no WebGPU adapter"
    : `WebGPU adapter: ${adapter.description || adapter.vendor}${
      adapter.isSoftware ? " (software)" : ""
    }`;
  return `${navigator.hardwareConcurrency} cores, ${cpu}, ${gpu}`;
}
