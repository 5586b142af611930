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
import { command as preprocess } from "./preprocess.ts";

const _EEG_DATA = 'issue #4 ("EEG datasets")';
const _CLASSIFIER = 'issue #5 ("Multi-task EEG classifier")';
const _SEGMENTATION = 'issue #7 ("Segmentation")';

/** All tasks. `test` and `check` are plain deno tasks (see deno.json), not CLI commands. */
export const COMMANDS: Command[] = [
  pendingCommand({
    name: "train",
    summary: "train a model from a config (classifier, diffusion or U-Net)",
    issue: _CLASSIFIER,
    usage:
      "deno task train [--config FILE] [--set k=v] [--backend NAME] [--out DIR] [--resume DIR]",
    configured: true,
  }),
  preprocess,
  pendingCommand({
    name: "sample",
    summary: "generate spectrograms from a trained diffusion model",
    issue: "the diffusion issue (not filed yet)",
    usage: "deno task sample --run DIR --out DIR",
    configured: true,
  }),
  pendingCommand({
    name: "segment",
    summary: "segment whole microscope fields with a trained U-Net",
    issue: _SEGMENTATION,
    usage: "deno task segment --run DIR --input FILE|DIR [--masks DIR] --out DIR",
    configured: true,
  }),
  pendingCommand({
    name: "evaluate",
    summary: "per-task metrics of a saved model on a dataset split",
    issue: _CLASSIFIER,
    usage: "deno task evaluate --run DIR [--data DIR] [--split NAME|all] --out FILE.json",
    configured: true,
  }),
  pendingCommand({
    name: "metrics",
    summary: "generative metrics (KID, FID, precision/recall) of generated images",
    issue: "the diffusion issue (not filed yet)",
    usage: "deno task metrics --config FILE --out DIR",
    configured: true,
  }),
  pendingCommand({
    name: "meta-dataset",
    summary: "combine preprocessed datasets into one weighted dataset",
    issue: _EEG_DATA,
    usage: "deno task meta-dataset --config FILE --out DIR",
    configured: true,
  }),
  info,
  build,
  serve,
  bench,
];
