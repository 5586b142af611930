/**
 * What segmenting with a trained run needs from its run.json, shared by `deno task segment`
 * and the web app's segment worker: the config (the run's, with overrides on top), the
 * input normalisation, and the ground-truth mask of each image. Pure: no file system, no
 * DOM; callers read the files.
 *
 * @module
 */
import { type ConfigFile, renderConfig, resolveConfig } from "../config/mod.ts";
import { IMAGENET_NORMALIZATION, type ImageNormalization } from "../image/normalization.ts";
import { SEGMENT_SCHEMA, type SegmentConfig } from "./config_schema.ts";

/** Overrides of {@linkcode segmentConfigFromRun}, applied on top of the run's config. */
export interface SegmentConfigOverrides {
  /** The name run.json's config is reported under in errors. Default "run.json". */
  source?: string;
  /** Further TOML texts (e.g. `--config`), in order, later winning. */
  files?: readonly ConfigFile[];
  /** `section.key=value` texts, as `--set` flags, in order. */
  sets?: readonly string[];
  /** Environment variables; `WORKBENCH_<SECTION>__<KEY>` ones are overrides. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The segmentation config of a run: its saved config (run.json's `config`), then `files`,
 * `env` and `sets` on top, each checked against {@linkcode SEGMENT_SCHEMA} (a bad key or
 * value throws a one-line ConfigError).
 *
 * @example
 * ```ts
 * import { segmentConfigFromRun } from "./run_settings.ts";
 * const saved = { data: { mask_suffix: "_gt" }, infer: { threshold: 0.75 } };
 * const config = segmentConfigFromRun(saved, { sets: ["infer.threshold=0.4"] });
 * console.assert(config.infer.threshold === 0.4 && config.data.mask_suffix === "_gt");
 * ```
 */
export function segmentConfigFromRun(
  savedConfig: unknown,
  overrides: SegmentConfigOverrides = {},
): SegmentConfig {
  const saved = {
    source: overrides.source ?? "run.json",
    text: renderConfig(savedConfig as Record<string, unknown>, { schema: SEGMENT_SCHEMA }),
  };
  return resolveConfig(SEGMENT_SCHEMA, {
    files: [saved, ...(overrides.files ?? [])],
    env: overrides.env,
    sets: overrides.sets,
  }) as SegmentConfig;
}

/**
 * The input normalisation a run was trained with (run.json's `inputNormalization`), or the
 * ImageNet statistics for a run that stored none.
 *
 * @example
 * ```ts
 * import { IMAGENET_NORMALIZATION } from "../image/normalization.ts";
 * import { runNormalization } from "./run_settings.ts";
 * const grey = { mean: [0.5], std: [0.25] };
 * console.assert(runNormalization({ inputNormalization: grey }) === grey);
 * console.assert(runNormalization({}) === IMAGENET_NORMALIZATION);
 * ```
 */
export function runNormalization(runInfo: Readonly<Record<string, unknown>>): ImageNormalization {
  return (runInfo.inputNormalization as ImageNormalization | undefined) ??
    IMAGENET_NORMALIZATION;
}

/** The RangeError of {@linkcode matchMasks}: no mask matches image `stem`. */
export class MissingMaskError extends RangeError {
  /** The image stem without a mask. */
  readonly stem: string;
  /** The mask suffix looked for first (`<stem><suffix>.<ext>`). */
  readonly suffix: string;

  constructor(message: string, stem: string, suffix: string) {
    super(message);
    this.stem = stem;
    this.suffix = suffix;
  }
}

/** Options of {@linkcode matchMasks}. */
export interface MatchMasksOptions {
  /** Suffixes tried after `suffix` and before the bare stem, in order (e.g. `["_mask"]`). */
  alsoTry?: readonly string[];
}

const _IMAGE = /\.(png|jpe?g|tiff?)$/i;

/**
 * The last segment of a "/"-separated path (a dropped file's path, a storage path).
 *
 * @example
 * ```ts
 * import { pathBaseName } from "./run_settings.ts";
 * console.assert(pathBaseName("run/masks/00.png") === "00.png");
 * console.assert(pathBaseName("00.png") === "00.png");
 * ```
 */
export function pathBaseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * The stem of a "/"-separated path: its last segment without the extension (a leading dot
 * is part of the name, not an extension).
 *
 * @example
 * ```ts
 * import { pathStem } from "./run_settings.ts";
 * console.assert(pathStem("images/T19_Image0.jpg") === "T19_Image0");
 * console.assert(pathStem("a.b.tif") === "a.b" && pathStem(".png") === ".png");
 * ```
 */
export function pathStem(path: string): string {
  const name = pathBaseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * The ground-truth mask of each image stem among `maskNames` (file names or "/"-separated
 * paths; only .png, .jpg and .tif images count, a later one of the same stem wins):
 * `<stem><suffix>.<ext>`, then `<stem><also>.<ext>` for each of `options.alsoTry`, then
 * `<stem>.<ext>`. Each stem maps to its mask's name as given.
 *
 * @throws {MissingMaskError} (a RangeError naming the stem) when no mask matches a stem.
 *
 * @example
 * ```ts
 * import { matchMasks } from "./run_settings.ts";
 * const masks = matchMasks(["T19_Image0", "00"], ["gt/T19_Image0_mask.jpg", "gt/00.png"], "_mask");
 * console.assert(masks.get("T19_Image0") === "gt/T19_Image0_mask.jpg");
 * console.assert(masks.get("00") === "gt/00.png");
 * ```
 */
export function matchMasks(
  stems: readonly string[],
  maskNames: readonly string[],
  suffix: string,
  options: MatchMasksOptions = {},
): Map<string, string> {
  const byStem = new Map<string, string>();
  for (const name of maskNames) {
    if (_IMAGE.test(name)) byStem.set(pathStem(name), name);
  }
  const suffixes = [suffix, ...(options.alsoTry ?? []), ""];
  const out = new Map<string, string>();
  for (const stem of stems) {
    const found = suffixes.map((s) => byStem.get(stem + s)).find((name) => name !== undefined);
    if (found === undefined) {
      throw new MissingMaskError(
        `Cannot evaluate image ${stem} as the masks must include ${stem}${suffix}.<png|jpg|tif>` +
          `: current value is ${maskNames.slice(0, 5).map(pathBaseName).join(", ")}` +
          (maskNames.length > 5 ? `, ... (${maskNames.length} masks)` : ""),
        stem,
        suffix,
      );
    }
    out.set(stem, found);
  }
  return out;
}
