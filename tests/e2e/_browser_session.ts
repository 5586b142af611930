/**
 * The browser set-up of the end-to-end tests: a fresh build of the web app served on a free
 * loopback port, headless Chromium (WebGPU through SwiftShader) with one page, every request
 * recorded and any request off the page's origin blocked, and the page's errors collected.
 *
 * ```ts ignore
 * const session = await openBrowserSession({ site, profile, timeout: { build, launch } });
 * try {
 *   await session.page.goto(session.server.url, { waitUntil: "load" });
 *   session.assertStayedOnOrigin(["data:"]);
 * } finally {
 *   await session.close();
 * }
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { chromium } from "./_playwright.ts";
import { buildWebApp } from "../../app/cli/commands/build.ts";
import { startStaticServer, type StaticServer } from "../../app/cli/static_server.ts";

/** Debian's Chromium, which the tests drive. */
export const CHROMIUM = "/usr/bin/chromium";
/** How to get {@linkcode CHROMIUM}. */
export const INSTALL_HINT =
  "sudo apt-get install -y chromium   (Debian's package; provides /usr/bin/chromium)";
/** True when the CI environment variable says we are in CI (missing tools then fail). */
export const IN_CI = Deno.env.get("CI") === "true";
/**
 * Chromium flags: WebGPU on SwiftShader, full adapter info (developer features; otherwise
 * `GPUAdapterInfo.description` is empty), no background traffic to Google.
 */
const CHROMIUM_ARGS = [
  "--enable-unsafe-webgpu",
  "--enable-webgpu-developer-features",
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const STATIC_DIR = fileURLToPath(new URL("../../static/", import.meta.url));

/** Whether `path` is a file we can stat. */
export function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Options of {@linkcode openBrowserSession}. */
export interface BrowserSessionOptions {
  /** The folder the site is built in and served from (made if missing). */
  site: string;
  /** Chromium's profile folder. */
  profile: string;
  /** Upper bounds on the build and on Chromium's start, in milliseconds. */
  timeout: { build: number; launch: number };
}

/** A served site and a Chromium page, with what they saw. */
export interface BrowserSession {
  server: StaticServer;
  /** The site's origin, e.g. "http://127.0.0.1:PORT". */
  origin: string;
  context: BrowserContext;
  page: Page;
  /** How long the build took, in milliseconds. */
  buildMs: number;
  /** Every request the server answered: "STATUS METHOD PATH". */
  served: string[];
  /** The URL of every request of every page and worker. */
  requests: string[];
  /** The URLs off the site's origin, which were blocked. */
  foreign: string[];
  /** The page's uncaught errors and console errors. */
  problems: string[];
  /**
   * Asserts that no request left the site's origin: none was blocked, and none but those
   * whose URL starts with one of `ignore` (e.g. "data:") went elsewhere.
   */
  assertStayedOnOrigin(ignore: readonly string[]): void;
  /** Closes Chromium (an error there is logged) and the server. */
  close(): Promise<void>;
}

/**
 * Copies static/'s page and CSS into `site` with a fresh build (never the checkout's
 * dist/), serves it on a free loopback port and opens it in headless Chromium: every
 * request recorded, anything off-origin blocked, the page's errors collected.
 */
export async function openBrowserSession(options: BrowserSessionOptions): Promise<BrowserSession> {
  const { site, profile, timeout } = options;
  await Deno.mkdir(site, { recursive: true });
  for (const name of ["index.html", "style.css"]) {
    await Deno.copyFile(join(STATIC_DIR, name), join(site, name));
  }
  const built = await buildWebApp({
    outDir: join(site, "dist"),
    signal: AbortSignal.timeout(timeout.build),
  });
  const served: string[] = [];
  const server = await startStaticServer({
    root: site,
    port: 0,
    onRequest: (method, path, status) => served.push(`${status} ${method} ${path}`),
  });
  const origin = new URL(server.url).origin;
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: timeout.launch,
    });
    // Every request of every page and worker; anything off-origin is also blocked.
    const requests: string[] = [];
    const foreign: string[] = [];
    context.on("request", (request) => requests.push(request.url()));
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      foreign.push(url);
      return route.abort("blockedbyclient");
    });
    const page = context.pages()[0] ?? await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    const opened = context;
    return {
      server,
      origin,
      context,
      page,
      buildMs: built.elapsedMs,
      served,
      requests,
      foreign,
      problems,
      assertStayedOnOrigin(ignore) {
        assert.deepEqual(foreign, [], `requests outside ${origin}: ${foreign.join(", ")}`);
        const offOrigin = requests.filter((url) =>
          !ignore.some((prefix) => url.startsWith(prefix)) && new URL(url).origin !== origin
        );
        assert.deepEqual(offOrigin, []);
      },
      async close() {
        await opened.close().catch((error) => console.error(`closing Chromium: ${error}`));
        await server.close();
      },
    };
  } catch (error) {
    await context?.close().catch((error) => console.error(`closing Chromium: ${error}`));
    await server.close();
    throw error;
  }
}
