/**
 * Which pipeline a `deno task train` config is for. One task trains both the EEG
 * classifier and the segmentation U-Net (ARCHITECTURE.md names one `train` task), so the
 * config decides: sections and keys only segmentation has ([infer], [augment],
 * data.images, data.masks, model.encoder_from) mark a segmentation config.
 *
 * @module
 */
import { parse } from "smol-toml";

/** The two kinds of training config. */
export type ConfigKind = "classifier" | "segmentation";

const _SEGMENT_KEYS = ["data.images", "data.masks", "model.encoder_from", "infer.", "augment."];

/**
 * The kind of a config file's text plus `--set` overrides (a TOML syntax error is left for
 * the full config loader to report with its line).
 */
export function configKind(text: string | undefined, sets: readonly string[] = []): ConfigKind {
  if (sets.some((s) => _SEGMENT_KEYS.some((k) => s.trim().startsWith(k)))) return "segmentation";
  if (text === undefined) return "classifier";
  let table: Record<string, unknown>;
  try {
    table = parse(text) as Record<string, unknown>;
  } catch {
    return "classifier";
  }
  const section = (name: string) => (table[name] ?? {}) as Record<string, unknown>;
  const isSegmentation = "infer" in table || "augment" in table ||
    "images" in section("data") || "masks" in section("data") ||
    "encoder_from" in section("model");
  return isSegmentation ? "segmentation" : "classifier";
}
