/**
 * Test support for dataset tests: the shared data folders as DatasetFiles, and an
 * in-memory copy of a subset (so tests can add corrupt files without touching shared/).
 *
 * @module
 */
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import { FileStorage } from "../../app/cli/file_storage.ts";

/** ../shared/data/eeg/<name> as a read-only storage. */
export function sharedEeg(name: string): FileStorage {
  return new FileStorage(new URL(`../../../shared/data/eeg/${name}`, import.meta.url).pathname);
}

/** Copies the named files of a shared folder into memory. */
export async function memoryCopy(from: FileStorage, names: string[]): Promise<MemoryStorage> {
  const memory = new MemoryStorage();
  for (const name of names) await memory.writeBytes(name, await from.readBytes(name));
  return memory;
}
