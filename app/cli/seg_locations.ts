/**
 * Turns the paths of a segmentation config (`data.images`, `data.masks`,
 * `model.encoder_from`) into storages the library reads, with one-line errors for paths
 * that are missing or of the wrong kind.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { UsageError } from "./command.ts";
import { FileStorage } from "./file_storage.ts";
import type { SegLocation } from "../../lib/segment/seg_dataset.ts";

/**
 * A folder (or, for a multi-page TIFF stack, a file) as a {@linkcode SegLocation}.
 *
 * @throws {UsageError} when `path` is empty or does not exist.
 */
export async function segLocation(path: string, key: string): Promise<SegLocation> {
  if (path === "") {
    throw new UsageError(`${key} is empty: set it in the config or with --set ${key}=PATH`);
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`${key} ${path} does not exist (expected a folder or a TIFF stack)`);
    }
    throw error;
  }
  const full = resolve(path);
  return info.isDirectory
    ? { storage: new FileStorage(full), dir: "" }
    : { storage: new FileStorage(dirname(full)), dir: basename(full) };
}

/** A run folder (one with run.json and model/) as a storage, checked. */
export async function runStorage(path: string, key: string): Promise<FileStorage> {
  const storage = new FileStorage(resolve(path));
  if (!(await storage.exists("run.json")) || !(await storage.exists("model/model.json"))) {
    throw new UsageError(
      `${key} ${path} is not a finished run folder (expected run.json and model/model.json)`,
    );
  }
  return storage;
}
