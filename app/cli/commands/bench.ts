/**
 * `deno task bench [--only NAME] [--quick]`: prints one JSON array of figures on stdout,
 * progress on stderr.
 *
 * @module
 */
import { type Command, UsageError } from "../command.ts";
import { type BenchFigure, type BenchRow, describeMachine } from "../bench/harness.ts";
import { matmulFigure } from "../bench/matmul.ts";
import { conv3Figure } from "../bench/conv3.ts";
import { edfReadFigure } from "../bench/edf_read.ts";
import { stftFigure } from "../bench/stft.ts";
import { recipeFigure } from "../bench/recipe.ts";
import { cnnLightFigure } from "../bench/cnn_light.ts";
import { preprocessFigure } from "../bench/preprocess.ts";
import { unetFigure } from "../bench/unet.ts";
import { unetFieldFigure } from "../bench/unet_field.ts";
import { initBackend, probeWebGpuAdapter } from "../../../lib/runtime/mod.ts";

/** Every figure, in the order they run. Later issues append theirs. */
export const FIGURES: BenchFigure[] = [
  matmulFigure,
  conv3Figure,
  edfReadFigure,
  stftFigure,
  recipeFigure,
  preprocessFigure,
  cnnLightFigure,
  unetFigure,
  unetFieldFigure,
];

async function _availableBackends(): Promise<string[]> {
  const backends = ["cpu"];
  try {
    await initBackend({ backend: "wasm" });
    backends.push("wasm");
  } catch {
    // wasm cannot start here; its rows are simply absent.
  }
  if ((await probeWebGpuAdapter()) !== null) backends.push("webgpu");
  return backends;
}

export const command: Command = {
  name: "bench",
  summary: "speed figures beside their peers (scipy, MNE, PyTorch), as JSON",
  help: [
    "deno task bench: measure speed against the Python reference stack on this machine",
    "",
    "Usage:",
    "  deno task bench [--only NAME] [--quick] > bench.json",
    "",
    "Prints one JSON array on stdout; progress goes to stderr. Each object has name, unit,",
    "value, peer, peer_value, ratio (> 1 means ours is better), backend and machine.",
    "Peers run in the same command with /usr/bin/python3 (Debian's python3-numpy, -scipy,",
    "-mne, -torch); if a peer cannot run, peer_value is null and note says why.",
    "",
    "Flags:",
    "  --only NAME   run only the figure NAME (" + FIGURES.map((f) => f.name).join(", ") + ")",
    "  --quick       fewer repeats (for smoke runs)",
  ].join("\n"),
  flags: { only: { type: "string" }, quick: { type: "boolean" } },
  async run(ctx) {
    const only = ctx.values.only as string | undefined;
    const figures = only === undefined ? FIGURES : FIGURES.filter((f) => f.name === only);
    if (figures.length === 0) {
      throw new UsageError(
        `bench: unknown figure "${only}"; expected one of: ${
          FIGURES.map((f) => f.name).join(", ")
        }`,
      );
    }
    const log = (message: string) => console.error(`[bench] ${message}`);
    const machine = await describeMachine();
    const backends = await _availableBackends();
    log(`machine: ${machine}; backends: ${backends.join(", ")}`);
    const rows: BenchRow[] = [];
    for (const figure of figures) {
      rows.push(...await figure.run({ quick: ctx.values.quick === true, machine, backends, log }));
    }
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  },
};
