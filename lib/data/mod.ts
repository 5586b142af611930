/**
 * Datasets and their labels. For now: label specifications and target encoding.
 *
 * @module
 */
export * from "./labels.ts";
