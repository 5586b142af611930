/**
 * Every CLI task, in the order `--help` lists them.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { pendingCommand } from "./pending.ts";
import { command as build } from "./build.ts";
import { command as serve } from "./serve.ts";
import { command as bench } from "./bench.ts";
import { command as info } from "./info.ts";
import { command as train } from "./train.ts";
import { command as evaluate } from "./evaluate.ts";
import { command as preprocess } from "./preprocess.ts";
import { command as metaDataset } from "./meta_dataset.ts";
import { command as segment } from "./segment.ts";

const _CLASSIFIER = 'issue #5 ("Multi-task EEG classifier")';

/** All tasks. `test` and `check` are plain deno tasks (see deno.json), not CLI commands. */
export const COMMANDS: Command[] = [
  train,
  preprocess,
  pendingCommand({
    name: "sample",
    summary: "generate spectrograms from a trained diffusion model",
    issue: "the diffusion issue (not filed yet)",
    usage: "deno task sample --run DIR --out DIR",
    configured: true,
  }),
  segment,
  evaluate,
  pendingCommand({
    name: "metrics",
    summary: "generative metrics (KID, FID, precision/recall) of generated images",
    issue: "the diffusion issue (not filed yet)",
    usage: "deno task metrics --config FILE --out DIR",
    configured: true,
  }),
  metaDataset,
  info,
  build,
  serve,
  bench,
];
