/**
 * Loads playwright-core under Deno's scoped permissions.
 *
 * On import, playwright-core probes `fs.existsSync("/proc/sys/fs/binfmt_misc/WSLInterop")`
 * to detect WSL. Node's existsSync returns false on any error, but Deno's throws
 * NotCapable for /proc/sys paths unless the whole run has --allow-all. This shim restores
 * Node's behaviour (a path we may not read is a path that does not exist for us) before
 * playwright-core is loaded, so the tests run without --allow-all.
 *
 * @module
 */
import fs from "node:fs";

const _existsSync = fs.existsSync;
fs.existsSync = (path: fs.PathLike): boolean => {
  try {
    return _existsSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return false;
    throw error;
  }
};

/** playwright-core's Chromium launcher. */
export const { chromium } = await import("playwright-core");
