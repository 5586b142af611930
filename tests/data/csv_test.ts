import assert from "node:assert/strict";
import { formatTable, parseTable } from "../../lib/data/csv.ts";

const SHARED = new URL("../../../shared/data/eeg/", import.meta.url);

Deno.test("parseTable reads the real subject-info.csv and participants.tsv", async () => {
  const info = parseTable(await Deno.readTextFile(new URL("eegmat/subject-info.csv", SHARED)));
  assert.deepEqual(info.columns, [
    "Subject",
    "Age",
    "Gender",
    "Recording year",
    "Number of subtractions",
    "Count quality",
  ]);
  assert.equal(info.rows.length, 16);
  assert.deepEqual(info.rows[0], {
    Subject: "Subject00",
    Age: "21",
    Gender: "F",
    "Recording year": "2011",
    "Number of subtractions": "9.7",
    "Count quality": "0",
  });
  const tsv = parseTable(
    await Deno.readTextFile(new URL("parkinsons_ds002778/participants.tsv", SHARED)),
    { delimiter: "\t" },
  );
  assert.equal(tsv.columns[0], "participant_id");
  assert.ok(tsv.rows.some((r) => r.participant_id === "sub-pd6"));
});

Deno.test("quoted fields, CRLF, BOM and embedded newlines round-trip", () => {
  const rows = [{ a: "x, y", b: 'say "hi"', c: "two\nlines" }, { a: "", b: "plain", c: "3" }];
  const text = formatTable(["a", "b", "c"], rows);
  assert.deepEqual(parseTable(text).rows, rows);
  const crlf = "\uFEFFa,b\r\n1,2\r\n3,4\r\n";
  assert.deepEqual(parseTable(crlf).rows, [{ a: "1", b: "2" }, { a: "3", b: "4" }]);
});

Deno.test("a ragged row and an open quote name the file and line", () => {
  assert.throws(
    () => parseTable("a,b\n1,2\n3\n", { source: "meta.csv" }),
    /^SyntaxError: Cannot read meta\.csv:3 as the row must have 2 fields \(a,b\): current value is 1$/,
  );
  assert.throws(
    () => parseTable('a,b\n1,"open\n', { source: "meta.csv" }),
    /Cannot read meta\.csv:2 as a quoted field is not closed/,
  );
});
