/**
 * CSV/TSV reading and writing (RFC 4180 quoting), small enough to audit.
 *
 * @module
 */

/** A parsed table: the header and one record per row keyed by column name. */
export interface Table {
  columns: string[];
  rows: Record<string, string>[];
}

/**
 * Parses CSV (or TSV with `delimiter: "\t"`) text with a header row. Quoted fields may hold
 * delimiters, quotes ("") and newlines; CRLF and LF line ends both work; a UTF-8 BOM is
 * ignored. A row with the wrong number of fields is a SyntaxError naming file and line.
 *
 * @example
 * ```ts
 * import { parseTable } from "./csv.ts";
 * const t = parseTable('a,b\n1,"x, y"\n');
 * console.assert(t.rows[0].b === "x, y");
 * ```
 */
export function parseTable(
  text: string,
  options: { delimiter?: string; source?: string } = {},
): Table {
  const delimiter = options.delimiter ?? ",";
  const source = options.source ?? "table";
  const records = _parseRecords(text.replace(/^\uFEFF/, ""), delimiter, source);
  if (records.length === 0) {
    throw new SyntaxError(`Cannot read ${source} as it has no header row`);
  }
  const [header, ...body] = records;
  const columns = header.fields.map((c) => c.trim());
  const rows = body.filter((r) => !(r.fields.length === 1 && r.fields[0] === "")).map((r) => {
    if (r.fields.length !== columns.length) {
      throw new SyntaxError(
        `Cannot read ${source}:${r.line} as the row must have ${columns.length} fields ` +
          `(${
            columns.join(delimiter === "\t" ? " " : delimiter)
          }): current value is ${r.fields.length}`,
      );
    }
    return Object.fromEntries(columns.map((c, i) => [c, r.fields[i]]));
  });
  return { columns, rows };
}

function _parseRecords(
  text: string,
  delimiter: string,
  source: string,
): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1, recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = "";
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    throw new SyntaxError(`Cannot read ${source}:${recordLine} as a quoted field is not closed`);
  }
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

function _quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter)
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

/**
 * Writes rows as CSV with the given column order (LF line ends, quoting only when needed).
 *
 * @example
 * ```ts
 * import { formatTable, parseTable } from "./csv.ts";
 * const text = formatTable(["a", "b"], [{ a: "1", b: 'say "hi"' }]);
 * console.assert(parseTable(text).rows[0].b === 'say "hi"');
 * ```
 */
export function formatTable(
  columns: string[],
  rows: Record<string, string | number | boolean | null | undefined>[],
  options: { delimiter?: string } = {},
): string {
  const d = options.delimiter ?? ",";
  const lines = [columns.map((c) => _quote(c, d)).join(d)];
  for (const row of rows) {
    lines.push(
      columns.map((c) => _quote(row[c] === undefined || row[c] === null ? "" : String(row[c]), d))
        .join(d),
    );
  }
  return lines.join("\n") + "\n";
}
