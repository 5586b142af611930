/**
 * Training infrastructure shared by every model: for now the progress events.
 *
 * @module
 */
export * from "./progress.ts";
