/**
 * Storage and run folders: a small file-store interface (files in Deno, IndexedDB in
 * browsers, memory in tests), the run folder layout, checkpoints, and a TF.js IOHandler
 * that saves Layers models through any storage.
 *
 * @module
 */
export * from "./storage.ts";
export * from "./storage_path.ts";
export * from "./not_found_error.ts";
export * from "./bytes_input.ts";
export * from "./key_value_storage.ts";
export * from "./memory_storage.ts";
export * from "./idb_storage.ts";
export * from "./json_file.ts";
export * from "./tf_io_handler.ts";
export * from "./named_tensors.ts";
export * from "./checkpoint.ts";
export * from "./run_folder.ts";
