/**
 * Validates one value against its field and returns a fresh, JSON-safe copy.
 *
 * @module
 */
import type { Field } from "./field.ts";

/** A value that fits its field, or what is wrong and the path of the offending part. */
export type CheckResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; path: string[] };

/**
 * Checks `value` for the field at `path`. Records merge into `previous` entry by entry.
 * Messages name the key and what was expected: `train.lr must be a number: got "abc"
 * (string)`.
 *
 * @example
 * ```ts
 * import { checkValue } from "./check_value.ts";
 * import { field } from "./field.ts";
 * const lr = field.number({ default: 0.1, doc: "LR", min: 0 });
 * const result = checkValue(lr, -1, ["train", "lr"]);
 * console.assert(!result.ok && result.message === "train.lr must be >= 0: got -1");
 * ```
 */
export function checkValue(
  field: Field,
  value: unknown,
  path: string[],
  previous?: unknown,
): CheckResult {
  const key = path.join(".");
  const fail = (message: string, at = path): CheckResult => ({ ok: false, message, path: at });
  switch (field.kind) {
    case "string":
    case "number":
    case "integer":
    case "boolean": {
      const problem = _checkScalar(field, field.kind, value, key);
      return problem === undefined ? { ok: true, value } : fail(problem);
    }
    case "string|string[]":
      if (typeof value === "string") return { ok: true, value };
      if (!Array.isArray(value)) {
        return fail(`${key} must be a string or a list of strings: got ${describeValue(value)}`);
      }
      return _checkList(field, "string", value, key, fail);
    case "string[]":
    case "number[]": {
      const element = field.kind === "string[]" ? "string" : "number";
      if (!Array.isArray(value)) {
        return fail(`${key} must be a list of ${element}s: got ${describeValue(value)}`);
      }
      return _checkList(field, element, value, key, fail);
    }
    case "record<number>": {
      if (!_isTable(value)) {
        return fail(
          `${key} must be a table of numbers (e.g. { a = 1 }): got ${describeValue(value)}`,
        );
      }
      const record: Record<string, number> = _isTable(previous)
        ? { ...(previous as Record<string, number>) }
        : {};
      for (const [name, entry] of Object.entries(value)) {
        const entryPath = [...path, name];
        if (name === "__proto__") {
          return fail(`${key} cannot have a key named "__proto__"`, entryPath);
        }
        const problem = _checkScalar(field, "number", entry, entryPath.join("."));
        if (problem !== undefined) return fail(problem, entryPath);
        record[name] = entry as number;
      }
      return { ok: true, value: record };
    }
  }
}

function _checkList(
  field: Field,
  element: "string" | "number",
  value: unknown[],
  key: string,
  fail: (message: string) => CheckResult,
): CheckResult {
  for (let i = 0; i < value.length; i++) {
    const problem = _checkScalar(field, element, value[i], `${key}[${i}]`);
    if (problem !== undefined) return fail(problem);
  }
  return { ok: true, value: [...value] };
}

const _EXPECTED = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean (true or false)",
} as const;

/** What is wrong with one scalar, or `undefined` when it fits. */
function _checkScalar(
  field: Field,
  kind: keyof typeof _EXPECTED,
  value: unknown,
  key: string,
): string | undefined {
  const typeOk = kind === "string"
    ? typeof value === "string"
    : kind === "boolean"
    ? typeof value === "boolean"
    : typeof value === "number" && Number.isFinite(value) &&
      (kind === "number" || Number.isSafeInteger(value));
  if (!typeOk) {
    // TOML has nan and inf, which JSON (run.json) cannot hold.
    const expected = kind === "number" && typeof value === "number"
      ? "a finite number"
      : _EXPECTED[kind];
    return `${key} must be ${expected}: got ${describeValue(value)}`;
  }
  if (field.choices !== undefined && !field.choices.includes(value as string | number)) {
    const list = field.choices.map((c) => JSON.stringify(c)).join(", ");
    return `${key} must be one of ${list}: got ${JSON.stringify(value)}`;
  }
  if (typeof value !== "number") return undefined;
  const { min, max } = field;
  const below = min !== undefined && value < min;
  const above = max !== undefined && value > max;
  if (!below && !above) return undefined;
  const bound = min !== undefined && max !== undefined
    ? `between ${min} and ${max}`
    : min !== undefined
    ? `>= ${min}`
    : `<= ${max}`;
  return `${key} must be ${bound}: got ${value}`;
}

/** True for a TOML table (a plain object; not an array or a date). */
export function _isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}

/**
 * A short description of a value and its TOML type for messages: `"abc" (string)`,
 * `1.5 (number)`, `[1, 2] (array)`.
 *
 * @example
 * ```ts
 * import { describeValue } from "./check_value.ts";
 * console.assert(describeValue("abc") === '"abc" (string)');
 * console.assert(describeValue([1, "a"]) === '[1, "a"] (array)');
 * ```
 */
export function describeValue(value: unknown): string {
  let text: string;
  let type: string;
  if (value instanceof Date) {
    text = value.toISOString();
    type = "date";
  } else if (Array.isArray(value)) {
    text = `[${value.map(_short).join(", ")}]`;
    type = "array";
  } else if (_isTable(value)) {
    text = `{ ${Object.entries(value).map(([k, v]) => `${k} = ${_short(v)}`).join(", ")} }`;
    type = "table";
  } else {
    text = _short(value);
    type = typeof value;
  }
  if (text.length > 60) text = text.slice(0, 57) + "...";
  return `${text} (${type})`;
}

function _short(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[...]";
  if (value instanceof Date) return value.toISOString();
  if (_isTable(value)) return "{...}";
  return String(value);
}
