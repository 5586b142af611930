/**
 * Line numbers for keys: smol-toml reports positions only for syntax errors, so this
 * scans the text for the `[section]` header and `key =` line that define a key.
 *
 * @module
 */

/**
 * The 1-based line where the dotted `path` is defined in a TOML text, or `undefined`.
 *
 * A header `[a.b]` or a key line whose full name starts with `path` defines it (so a
 * section is found at its header, or at its first dotted key such as `train.lr = 1`).
 * A key inside an inline table (`run = { seed = 1 }`) is found at that line. Lines
 * inside multi-line strings and arrays are skipped.
 *
 * @example
 * ```ts
 * import { locateKeyLine } from "./locate_key.ts";
 * const text = "# comment\n[run]\nseed = 1\n\n[train]\nlr = 0.1\n";
 * console.assert(locateKeyLine(text, ["train", "lr"]) === 6);
 * console.assert(locateKeyLine(text, ["train"]) === 5);
 * console.assert(locateKeyLine(text, ["model"]) === undefined);
 * ```
 */
export function locateKeyLine(text: string, path: readonly string[]): number | undefined {
  if (path.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  let table: string[] = [];
  let state: _ScanState = { depth: 0, multiline: null };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (state.depth > 0 || state.multiline !== null) {
      state = _scanValue(line, 0, state);
      continue;
    }
    const start = _skipSpaces(line, 0);
    if (start >= line.length || line[start] === "#") continue;
    if (line[start] === "[") {
      const header = _parseHeader(line, start);
      if (header === undefined) continue;
      table = header;
      if (_startsWith(table, path)) return i + 1;
      continue;
    }
    const key = _parseKey(line, start);
    if (key === undefined || line[key.end] !== "=") continue;
    const full = [...table, ...key.segments];
    if (_startsWith(full, path)) return i + 1;
    const valueStart = _skipSpaces(line, key.end + 1);
    if (line[valueStart] === "{" && _startsWith(path, full)) {
      const inner = path[full.length];
      if (_mentionsKey(line.slice(valueStart), inner)) return i + 1;
    }
    state = _scanValue(line, valueStart, { depth: 0, multiline: null });
  }
  return undefined;
}

interface _ScanState {
  /** Open `[` and `{` of a value that continues on the next line. */
  depth: number;
  /** The delimiter of an open multi-line string. */
  multiline: '"""' | "'''" | null;
}

/** Follows brackets and strings of a value to see whether it continues past this line. */
function _scanValue(line: string, from: number, state: _ScanState): _ScanState {
  let { depth, multiline } = state;
  let i = from;
  while (i < line.length) {
    if (multiline !== null) {
      const close = line.indexOf(multiline, i);
      if (close < 0) return { depth, multiline };
      i = close + 3;
      multiline = null;
      continue;
    }
    const c = line[i];
    if (c === "#") break;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      multiline = line.slice(i, i + 3) as '"""' | "'''";
      i += 3;
    } else if (c === '"' || c === "'") {
      i = _skipString(line, i);
    } else {
      if (c === "[" || c === "{") depth++;
      if (c === "]" || c === "}") depth--;
      i++;
    }
  }
  return { depth: Math.max(0, depth), multiline };
}

/** The index after a one-line string that starts at `start`. */
function _skipString(line: string, start: number): number {
  const quote = line[start];
  let i = start + 1;
  while (i < line.length && line[i] !== quote) i += quote === '"' && line[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Parses `[a.b]` or `[[a.b]]` at `start`. */
function _parseHeader(line: string, start: number): string[] | undefined {
  const double = line.startsWith("[[", start);
  const key = _parseKey(line, start + (double ? 2 : 1));
  if (key === undefined) return undefined;
  return line.startsWith(double ? "]]" : "]", key.end) ? key.segments : undefined;
}

/** Parses a dotted key (bare, "basic" or 'literal' segments) and the spaces after it. */
function _parseKey(line: string, start: number): { segments: string[]; end: number } | undefined {
  const segments: string[] = [];
  let i = _skipSpaces(line, start);
  while (true) {
    const c = line[i];
    if (c === '"' || c === "'") {
      const end = _skipString(line, i);
      const raw = line.slice(i, end);
      segments.push(c === "'" ? raw.slice(1, -1) : _unquoteBasic(raw));
      i = end;
    } else {
      const bare = /^[A-Za-z0-9_-]+/.exec(line.slice(i));
      if (bare === null) return undefined;
      segments.push(bare[0]);
      i += bare[0].length;
    }
    i = _skipSpaces(line, i);
    if (line[i] !== ".") return { segments, end: i };
    i = _skipSpaces(line, i + 1);
  }
}

function _unquoteBasic(raw: string): string {
  try {
    return JSON.parse(raw);
  } catch {
    return raw.slice(1, -1);
  }
}

/** Whether an inline table's text has `key =` or `key.` for the next segment. */
function _mentionsKey(text: string, key: string): boolean {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`[{,]\\s*["']?${escaped}["']?\\s*[=.]`).test(text);
}

function _skipSpaces(line: string, from: number): number {
  let i = from;
  while (line[i] === " " || line[i] === "\t") i++;
  return i;
}

function _startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length >= prefix.length && prefix.every((segment, i) => path[i] === segment);
}
