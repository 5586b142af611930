/**
 * `--set section.key=value` flags and the value syntax they share with environment
 * overrides.
 *
 * @module
 */
import { parse } from "smol-toml";
import { ConfigError } from "./config_error.ts";

/** A parsed `--set` flag. */
export interface SetFlag {
  /** Dotted key, e.g. "train.lr". */
  key: string;
  /** Path segments, e.g. ["train", "lr"]. */
  path: string[];
  /** The value parsed as TOML, or the raw text when it is not a TOML value. */
  value: unknown;
  /** The text after `=`, as given. */
  raw: string;
}

const _KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Splits `section.key=value` at the first `=` and parses the value with
 * {@linkcode parseOverrideValue}.
 *
 * @throws {ConfigError} when there is no `=` or the key is not a dotted name.
 *
 * @example
 * ```ts
 * import { parseSetFlag } from "./parse_set_flag.ts";
 * console.assert(parseSetFlag("train.lr=1e-3").value === 0.001);
 * console.assert(parseSetFlag("data.root=/tmp/x").value === "/tmp/x");
 * console.assert(parseSetFlag("run.name=").value === "");
 * ```
 */
export function parseSetFlag(text: string): SetFlag {
  const equals = text.indexOf("=");
  const key = (equals < 0 ? text : text.slice(0, equals)).trim();
  if (equals < 0 || !_KEY.test(key)) {
    const reason = equals < 0
      ? "it has no '='"
      : key === ""
      ? "the key is empty"
      : "the key must be dotted names of letters, digits, '_' or '-'";
    throw new ConfigError(
      `--set ${text}: expected the form --set section.key=value (e.g. --set run.seed=7), ` +
        `but ${reason}`,
      { source: "--set", ...(key !== "" && { key }) },
    );
  }
  const raw = text.slice(equals + 1);
  return { key, path: key.split("."), value: parseOverrideValue(raw), raw };
}

/**
 * Reads an override value: a TOML value when it parses as one (`7`, `1e-3`, `true`,
 * `[1, 2]`, `"quoted"`, `{ a = 1 }`), otherwise the text itself as a string (so
 * `/tmp/x` needs no quotes).
 *
 * @example
 * ```ts
 * import { parseOverrideValue } from "./parse_set_flag.ts";
 * console.assert(JSON.stringify(parseOverrideValue("[1, 2]")) === "[1,2]");
 * console.assert(parseOverrideValue("true") === true);
 * console.assert(parseOverrideValue("hello world") === "hello world");
 * ```
 */
export function parseOverrideValue(raw: string): unknown {
  if (raw.trim() === "") return raw;
  try {
    const table = parse(`value = ${raw}\n`, { unsafeKeyBehaviour: "throw" });
    // Text such as `1\nother = 2` parses but is not one value.
    if (Object.keys(table).length === 1) return table.value;
  } catch {
    // Not TOML: a bare string.
  }
  return raw;
}
