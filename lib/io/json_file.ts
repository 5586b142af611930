/**
 * JSON files on a {@linkcode Storage}, with errors that name the file.
 *
 * @module
 */
import type { Storage } from "./storage.ts";

/**
 * Reads and parses a JSON file; unparseable text is a SyntaxError naming the path.
 *
 * @example
 * ```ts
 * import { MemoryStorage, readJsonFile, writeJsonFile } from "./mod.ts";
 * const storage = new MemoryStorage();
 * await writeJsonFile(storage, "summary.json", { best: { accuracy: 0.9 } });
 * const summary = await readJsonFile(storage, "summary.json") as { best: { accuracy: number } };
 * console.assert(summary.best.accuracy === 0.9);
 * ```
 */
export async function readJsonFile(storage: Storage, path: string): Promise<unknown> {
  const text = await storage.readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Cannot parse "${path}" as it must be JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Writes `value` as indented JSON (atomically, like every storage write). Values JSON
 * cannot represent (functions, undefined, BigInt, cycles) are a TypeError naming the path;
 * NaN and Infinity become null, as `JSON.stringify` makes them.
 *
 * @example
 * ```ts
 * import { MemoryStorage, writeJsonFile } from "./mod.ts";
 * const storage = new MemoryStorage();
 * await writeJsonFile(storage, "run.json", { seed: 1 });
 * console.assert((await storage.readText("run.json")).endsWith("}\n"));
 * ```
 */
export async function writeJsonFile(
  storage: Storage,
  path: string,
  value: unknown,
  options: { indent?: number } = {},
): Promise<void> {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, options.indent ?? 2);
  } catch (error) {
    throw new TypeError(
      `Cannot write "${path}" as the value must be JSON-serialisable: ${(error as Error).message}`,
    );
  }
  if (text === undefined) {
    throw new TypeError(
      `Cannot write "${path}" as the value must be JSON-serialisable: current value is ${typeof value}`,
    );
  }
  await storage.writeText(path, `${text}\n`);
}
