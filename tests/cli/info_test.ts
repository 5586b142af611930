import assert from "node:assert/strict";
import { READ_ONLY, runCli } from "../_support/cli.ts";

const SHARED = new URL("../../../shared/data/eeg/", import.meta.url).pathname;

function info(args: string[]) {
  return runCli(["info", ...args], READ_ONLY);
}

Deno.test("info summarises real EDF and BDF files; --json gives the same facts", async () => {
  const edf = `${SHARED}eegmat/Subject00_1.edf`;
  const bdf = `${SHARED}mne_testdata/test.bdf`;
  const text = await info([edf, bdf]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /type {7}EDF\+C/);
  assert.match(text.stdout, /EEG Fp1 +500 +uV/);
  assert.match(text.stdout, /type {7}BDF/);
  const json = await info(["--json", edf]);
  assert.equal(json.code, 0);
  const [summary] = JSON.parse(json.stdout);
  assert.equal(summary.fileType, "EDF+C");
  assert.equal(
    summary.signals.filter((s: { isAnnotation: boolean }) => !s.isAnnotation).length,
    21,
  );
  assert.equal(summary.signals[0].sampleRateHz, 500);
});

Deno.test("info: a missing file, a wrong type and a corrupt file are one line and exit 2", async () => {
  const missing = await info(["/nonexistent/x.edf"]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim(), "error: Cannot read /nonexistent/x.edf as it does not exist");
  const wrong = await info([`${SHARED}eegmat/subject-info.csv`]);
  assert.equal(wrong.code, 2);
  assert.match(
    wrong.stderr,
    /info reads \.edf, \.bdf and \.mat files: current extension is "\.csv"/,
  );
  const dir = await Deno.makeTempDir();
  try {
    const bytes = await Deno.readFile(`${SHARED}eegmat/Subject00_1.edf`);
    bytes.set(new TextEncoder().encode("abc     "), 236); // number of data records
    await Deno.writeFile(`${dir}/bad.edf`, bytes);
    const bad = await info([`${dir}/bad.edf`]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
    assert.match(bad.stderr, /bad\.edf: .*"number of data records".* byte 236/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("info lists the variables of a MATLAB file and rejects a v7.3 one", async () => {
  const fixtures = new URL("../eeg/fixtures/mat/", import.meta.url).pathname;
  const ok = await info([`${fixtures}seed_like_compressed.mat`]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /type {7}MAT \(Level 5\)/);
  assert.match(ok.stdout, /djc_eeg1 +double +62 x \d+/);
  const v73 = await info([`${fixtures}v73_fake.mat`]);
  assert.equal(v73.code, 2);
  assert.match(v73.stderr, /v7\.3/);
});
