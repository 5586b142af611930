import assert from "node:assert/strict";
import {
  getMatRow,
  listMatVariables,
  type MatArray,
  MatFormatError,
  type MatVariableInfo,
  readMat,
} from "../../lib/eeg/mat/mod.ts";
import { Rng } from "../../lib/runtime/rng.ts";

// Fixtures and goldens are written by make_mat_fixtures.py (scipy.io.savemat / loadmat).
const FIXTURES = new URL("./fixtures/mat/", import.meta.url);
const read = (name: string) => Deno.readFileSync(new URL(name, FIXTURES));

/** One variable of goldens.json, as SciPy reads it. */
interface Golden {
  class: string;
  dims: number[];
  text?: string;
  complex?: boolean;
  values?: (number | string)[];
  imag?: (number | string)[];
  first?: number;
  last?: number;
  sum?: number;
  samples?: [number, number][];
}
const GOLDENS: Record<string, Record<string, Golden>> = JSON.parse(
  Deno.readTextFileSync(new URL("goldens.json", FIXTURES)),
);

/** A golden value as a number or bigint ("NaN"/"Infinity" strings, int64 decimal strings). */
function goldenValue(value: number | string, bigint: boolean): number | bigint {
  if (typeof value === "number") return value;
  return bigint ? BigInt(value) : Number(value);
}

/** Asserts equality that tells -0 from 0 and NaN equals NaN (bit-identical for float64). */
function assertSame(actual: unknown, expected: unknown, label: string) {
  assert.ok(Object.is(actual, expected), `${label}: ${actual} !== ${expected}`);
}

function assertMatchesGolden(array: MatArray, golden: Golden, label: string) {
  assert.equal(array.className, golden.class, `${label} class`);
  assert.deepEqual(array.dims, golden.dims, `${label} dims`);
  assert.equal(array.complex, golden.complex ?? false, `${label} complex`);
  if (golden.text !== undefined) {
    assert.equal(String.fromCharCode(...array.data as Uint16Array), golden.text, label);
    return;
  }
  const bigint = array.data instanceof BigInt64Array || array.data instanceof BigUint64Array;
  const data = array.data as ArrayLike<number | bigint>;
  if (golden.values) {
    assert.equal(data.length, golden.values.length, `${label} length`);
    golden.values.forEach((v, i) => assertSame(data[i], goldenValue(v, bigint), `${label}[${i}]`));
    const imag = array.imag as ArrayLike<number> | undefined;
    assert.equal(imag?.length, golden.imag?.length, `${label} imag length`);
    golden.imag?.forEach((v, i) => assertSame(imag![i], v, `${label} imag[${i}]`));
    return;
  }
  const values = array.data as Float64Array;
  assertSame(values[0], golden.first, `${label} first`);
  assertSame(values[values.length - 1], golden.last, `${label} last`);
  for (const [i, v] of golden.samples!) assertSame(values[i], v, `${label}[${i}]`);
  // NumPy sums pairwise, JS here left to right: equal to ~1e-13 relative, not bitwise.
  const sum = values.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - golden.sum!) <= 1e-10 * Math.abs(golden.sum!), `${label} sum ${sum}`);
}

/** Expects `promise` to reject with a MatFormatError; returns it. */
async function formatError(promise: Promise<unknown>, label = ""): Promise<MatFormatError> {
  const error = await promise.then(
    () => assert.fail(`${label}: expected a MatFormatError`),
    (e) => e,
  );
  assert.ok(error instanceof MatFormatError && error instanceof SyntaxError, `${label}: ${error}`);
  assert.ok(Number.isInteger(error.byteOffset) && error.byteOffset >= 0, `${label}: offset`);
  assert.match(error.message, /^Cannot .+ as .+: current value is /s, label);
  return error;
}

for (const [file, variables] of Object.entries(GOLDENS)) {
  Deno.test(`readMat and listMatVariables match SciPy on ${file}`, async () => {
    const bytes = read(file);
    const listing = await listMatVariables(bytes);
    assert.deepEqual(listing.map((v) => v.name), Object.keys(variables));
    const arrays = await readMat(bytes);
    for (const info of listing) {
      const golden = variables[info.name];
      assert.deepEqual([info.className, info.dims], [golden.class, golden.dims], info.name);
      assert.equal(info.compressed, file.includes("compressed"), info.name);
      if (golden.class === "struct" || golden.class === "cell") {
        assert.equal(info.decodable, false);
        assert.match(info.note!, new RegExp(`^${golden.class} arrays are listed but not decoded`));
        assert.equal(arrays.has(info.name), false);
      } else {
        assert.equal(info.decodable, true);
        assertMatchesGolden(arrays.get(info.name)!, golden, `${file} ${info.name}`);
      }
    }
  });
}

Deno.test("SEED's label file holds the 15 clip labels as doubles", async () => {
  const label = (await readMat(read("label.mat"))).get("label")!;
  assert.deepEqual(label.dims, [1, 15]);
  assert.deepEqual(Array.from(getMatRow(label, 0)), [
    1,
    0,
    -1,
    -1,
    0,
    1,
    -1,
    0,
    1,
    1,
    0,
    -1,
    0,
    1,
    -1,
  ]);
  // MATLAB's own label.mat stores them as miINT8; they still come back as double.
  const compact = (await readMat(read("storage_types.mat"), { variables: ["label"] })).get(
    "label",
  )!;
  assert.ok(compact.data instanceof Float64Array);
  assert.deepEqual(compact.data, label.data);
});

Deno.test("big-endian files read the same as little-endian ones", async () => {
  for (const stem of ["classes", "storage_types"]) {
    const little = await readMat(read(`${stem}.mat`));
    const big = await readMat(read(`${stem}_be.mat`));
    assert.deepEqual(big, little, stem);
    assert.equal(big.size, stem === "classes" ? 21 : 10);
  }
});

Deno.test("compressed and uncompressed files read the same", async () => {
  for (const stem of ["seed_like", "classes"]) {
    const plain = await readMat(read(`${stem}.mat`));
    const compressed = await readMat(read(`${stem}_compressed.mat`));
    assert.deepEqual(compressed, plain, stem);
    const strip = ({ compressed: _c, byteOffset: _o, ...rest }: MatVariableInfo) => rest;
    assert.deepEqual(
      (await listMatVariables(read(`${stem}_compressed.mat`))).map(strip),
      (await listMatVariables(read(`${stem}.mat`))).map(strip),
    );
  }
});

Deno.test("requested variables are the only ones decoded or inflated", async () => {
  const bytes = read("seed_like_compressed.mat");
  const arrays = await readMat(bytes, { variables: ["djc_eeg2"] });
  assert.deepEqual([...arrays.keys()], ["djc_eeg2"]);
  assertMatchesGolden(arrays.get("djc_eeg2")!, GOLDENS["seed_like.mat"].djc_eeg2, "djc_eeg2");
  // Spoil the compressed values of djc_eeg3 past its header: asking for djc_eeg1 never
  // inflates that far, reading everything does and fails there.
  const [, , third] = await listMatVariables(bytes);
  const spoiled = bytes.slice();
  spoiled.fill(0xff, third.byteOffset + 1000, bytes.length - 4);
  assert.deepEqual((await listMatVariables(spoiled)).map((v) => v.name), [
    "djc_eeg1",
    "djc_eeg2",
    "djc_eeg3",
  ]);
  assert.deepEqual([...(await readMat(spoiled, { variables: ["djc_eeg1"] })).keys()], ["djc_eeg1"]);
  const error = await formatError(readMat(spoiled));
  assert.deepEqual([error.field, error.byteOffset], ["compressed data", third.byteOffset]);
});

Deno.test("unknown names are a RangeError listing the file's variables", async () => {
  await assert.rejects(
    readMat(read("seed_like.mat"), { variables: ["djc_eeg1", "djc_eeg15"] }),
    {
      name: "RangeError",
      message: 'Cannot read MAT variable "djc_eeg15" as the file holds only "djc_eeg1", ' +
        '"djc_eeg2", "djc_eeg3": current value is "djc_eeg15"',
    },
  );
  await assert.rejects(readMat(read("classes.mat"), { variables: ["v_struct"] }), {
    name: "TypeError",
    message: /^Cannot read MAT variable "v_struct" as struct arrays are listed but not decoded/,
  });
  await assert.rejects(
    readMat(read("label.mat"), { variables: "label" as unknown as string[] }),
    TypeError,
  );
});

Deno.test("getMatRow reads a channel of a trial as float32", async () => {
  const trial = (await readMat(read("seed_like.mat"))).get("djc_eeg1")!;
  const golden = GOLDENS["seed_like.mat"].djc_eeg1;
  for (const [i, v] of golden.samples!) {
    assertSame(getMatRow(trial, i % 62)[Math.floor(i / 62)], Math.fround(v), `sample ${i}`);
  }
  assert.equal(getMatRow(trial, 61).length, 64);
  const classes = await readMat(read("classes.mat"));
  assert.deepEqual(Array.from(getMatRow(classes.get("v_uint64")!, 1)), [2 ** 53, 3, 4]);
  assert.deepEqual(Array.from(getMatRow(classes.get("v_complex")!, 0)), [1, -3.5]);
  assert.throws(() => getMatRow(trial, 62), RangeError);
  assert.throws(() => getMatRow(classes.get("v_3d")!, 0), TypeError);
  assert.throws(() => getMatRow(classes.get("v_char")!, 0), TypeError);
});

Deno.test("v7.3 (HDF5) files are refused with how to re-save them", async () => {
  const fake = read("v73_fake.mat");
  const error = await formatError(readMat(fake));
  assert.match(error.message, /MATLAB v7\.3 MAT file as it is an HDF5 container/);
  assert.match(error.message, /save\(\.\.\., '-v7'\) in MATLAB or scipy\.io\.savemat/);
  assert.deepEqual([error.field, error.byteOffset], ["header", 0]);
  // Found by the HDF5 signature at byte 512 when the text says nothing.
  const unlabelled = fake.slice();
  unlabelled.fill(0x20, 0, 116);
  assert.equal((await formatError(listMatVariables(unlabelled))).byteOffset, 512);
  // And by the version word 0x0200 alone.
  const short = unlabelled.slice(0, 128);
  assert.equal((await formatError(readMat(short))).byteOffset, 124);
});

Deno.test("Level 4 files, random bytes and empty input are MatFormatErrors", async () => {
  const level4 = await formatError(readMat(read("level4.mat")));
  assert.match(level4.message, /MATLAB Level 4 \(v4\) file, which this reader does not read/);
  const padded = new Uint8Array(400);
  padded.set(read("level4.mat"));
  const level4Long = await formatError(readMat(padded));
  assert.match(level4Long.message, /endian indicator .* Level 4 \(v4\)/);
  assert.equal(level4Long.byteOffset, 126);
  const rng = new Rng(7);
  const noise = Uint8Array.from({ length: 1000 }, () => rng.int(256));
  const error = await formatError(readMat(noise));
  assert.deepEqual([error.field, error.byteOffset], ["endian indicator", 126]);
  assert.equal((await formatError(readMat(new Uint8Array(0)))).byteOffset, 0);
  // A numeric class whose values were given a wrong type (dims product vs payload).
  const bytes = read("classes.mat");
  const [first] = await listMatVariables(bytes);
  const huge = bytes.slice();
  new DataView(huge.buffer).setInt32(first.byteOffset + 32, 2 ** 30, true); // dims[0]
  const values = await formatError(readMat(huge));
  assert.equal(values.field, "values");
  assert.match(values.message, /need 3221225472 miDOUBLE values .*: current value is 48 bytes/);
});

/** Offsets where a cut leaves a shorter valid file: the header end, each element's end. */
async function elementEnds(bytes: Uint8Array): Promise<Set<number>> {
  const starts = (await listMatVariables(bytes)).map((v) => v.byteOffset);
  return new Set([128, ...starts, bytes.length]);
}

Deno.test("truncated files give MatFormatErrors with byte offsets", async () => {
  for (const name of ["classes.mat", "classes_compressed.mat", "seed_like_compressed.mat"]) {
    const bytes = read(name);
    const ends = await elementEnds(bytes);
    const step = name === "classes.mat" ? 1 : 7;
    for (let cut = 0; cut < bytes.length; cut += step) {
      const label = `${name} cut at ${cut}`;
      if (ends.has(cut)) {
        await readMat(bytes.subarray(0, cut));
        continue;
      }
      const error = await formatError(readMat(bytes.subarray(0, cut)), label);
      assert.ok(error.byteOffset <= cut, `${label}: offset ${error.byteOffset}`);
    }
  }
  const cut = await formatError(readMat(read("seed_like.mat").subarray(0, 50_000)));
  assert.equal(cut.field, "variable");
  assert.match(cut.message, /^Cannot read the variable \(miMATRIX\) at byte \d+ as its payload/);
});

Deno.test("random byte flips only ever give MatFormatError", async () => {
  const rng = new Rng(20131027);
  const files = [
    "classes.mat",
    "classes_compressed.mat",
    "classes_be.mat",
    "storage_types.mat",
    "seed_like_compressed.mat",
  ];
  let failures = 0;
  for (let trial = 0; trial < 400; trial++) {
    const bytes = read(files[trial % files.length]);
    const mutated = bytes.slice();
    for (let flips = 1 + rng.int(4); flips > 0; flips--) {
      // Half the flips land among the first variables' tags, flags, dims and names.
      const at = rng.float() < 0.5 ? 116 + rng.int(400) : rng.int(bytes.length);
      mutated[at] = rng.float() < 0.5 ? rng.int(256) : mutated[at] ^ (1 << rng.int(8));
    }
    for (const attempt of [readMat(mutated), listMatVariables(mutated)]) {
      await attempt.catch((error) => {
        failures++;
        assert.ok(error instanceof MatFormatError, `trial ${trial}: ${error?.stack ?? error}`);
      });
    }
  }
  assert.ok(failures > 300, `only ${failures} of 800 reads failed: flips missed the structure`);
});
