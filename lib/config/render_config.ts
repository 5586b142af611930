/**
 * Renders a resolved config back to TOML, for `--print-config` and for a run's
 * `config.toml`.
 *
 * @module
 */
import { stringify } from "smol-toml";
import { type Field, isField } from "./field.ts";
import type { Schema } from "./schema.ts";

/** Options of {@linkcode renderConfig}. */
export interface RenderConfigOptions {
  /**
   * The schema the config was resolved with: keys come out in schema order, each under
   * a `# doc` comment that also lists choices and bounds. Without it, the config is
   * written as smol-toml's `stringify` writes it.
   */
  schema?: Schema;
  /** A comment put at the top (each line gets `# `). */
  header?: string;
}

/**
 * The TOML text of a config. Resolving that text against the same schema gives the
 * same config back.
 *
 * @example
 * ```ts
 * import { BASE_SCHEMA, renderConfig, resolveConfig } from "./mod.ts";
 * const config = resolveConfig(BASE_SCHEMA, { sets: ["run.seed=3"] });
 * const text = renderConfig(config, { schema: BASE_SCHEMA });
 * console.assert(text.includes("[run]") && text.includes("seed = 3"));
 * const again = resolveConfig(BASE_SCHEMA, { files: [{ source: "x.toml", text }] });
 * console.assert(JSON.stringify(again) === JSON.stringify(config));
 * ```
 */
export function renderConfig(
  config: Readonly<Record<string, unknown>>,
  options: RenderConfigOptions = {},
): string {
  const lines: string[] = [];
  if (options.header !== undefined) {
    lines.push(...options.header.split("\n").map((l) => (l === "" ? "#" : `# ${l}`)), "");
  }
  if (options.schema === undefined) {
    lines.push(stringify(config).trimEnd());
  } else {
    _renderSection(options.schema, config, [], lines);
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

function _renderSection(
  section: Schema,
  values: Readonly<Record<string, unknown>>,
  path: string[],
  lines: string[],
): void {
  const entries = Object.entries(section);
  // TOML puts a table's plain keys before its sub-tables, so fields come first.
  const plain = entries.filter(([, n]) => isField(n) && n.kind !== "record<number>");
  const tables = entries.filter(([, n]) => !isField(n) || n.kind === "record<number>");
  if (path.length > 0 && (plain.length > 0 || tables.length === 0)) {
    lines.push("", `[${_dotted(path)}]`);
  }
  for (const [key, node] of plain) {
    if (!Object.hasOwn(values, key)) continue;
    lines.push(`# ${_describeField(node as Field)}`, _renderValue(key, values[key]));
  }
  for (const [key, node] of tables) {
    if (!Object.hasOwn(values, key)) continue;
    const child = values[key] as Record<string, unknown>;
    if (isField(node)) {
      lines.push("", `# ${_describeField(node)}`, `[${_dotted([...path, key])}]`);
      for (const [name, value] of Object.entries(child)) lines.push(_renderValue(name, value));
    } else {
      _renderSection(node, child, [...path, key], lines);
    }
  }
}

/** `key = value` with the key quoted when it is not bare. */
function _renderValue(key: string, value: unknown): string {
  return stringify({ [key]: value }).trimEnd();
}

function _dotted(path: string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join(".");
}

function _describeField(field: Field): string {
  const notes: string[] = [];
  if (field.choices !== undefined) notes.push(`one of ${field.choices.join(" | ")}`);
  const { min, max } = field;
  if (min !== undefined && max !== undefined) notes.push(`${min} to ${max}`);
  else if (min !== undefined) notes.push(`>= ${min}`);
  else if (max !== undefined) notes.push(`<= ${max}`);
  return notes.length === 0 ? field.doc : `${field.doc} (${notes.join(", ")})`;
}
