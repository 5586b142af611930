/**
 * End to end: build the web app, serve it on a free loopback port, open it in headless
 * Chromium (WebGPU through SwiftShader) and check that the worker computed on webgpu the
 * same numbers as Deno's cpu backend, without a request leaving the page's origin.
 *
 * Needs Debian's `chromium` at /usr/bin/chromium. Without it the test is skipped, or fails
 * when CI=true.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import * as browser from "./_browser_session.ts";
import { type AdapterDescription, initBackend } from "../../lib/runtime/mod.ts";
import {
  checksumsAgree,
  runSmokeTest,
  type SmokeTestParts,
} from "../../lib/runtime/smoke_check.ts";

/** Relative tolerance between the browser's webgpu result and Deno's cpu result. */
const REL_TOL = 1e-4;
/** Upper bounds on every wait, in milliseconds. */
const TIMEOUT = { build: 120_000, launch: 60_000, page: 30_000, result: 120_000 };

const haveChromium = browser.fileExists(browser.CHROMIUM);
if (!haveChromium && !browser.IN_CI) {
  console.warn(
    `tests/e2e/browser_test.ts skipped: ${browser.CHROMIUM} is missing. Install: ${browser.INSTALL_HINT}`,
  );
}

interface PageResult {
  state: string;
  backend: string;
  adapter: string;
  /** The adapter as the worker described it (null when not on webgpu). */
  adapterInfo: AdapterDescription | null;
  checksum: number;
  parts: SmokeTestParts | null;
  error: string;
  firstRunMs: string;
  warmRunMs: string;
}

/** Waits until the page shows a finished run (done or error) and reads the results. */
async function _readResult(page: Page): Promise<PageResult> {
  await page.locator('[data-testid="status"]:is([data-state="done"], [data-state="error"])')
    .waitFor({ timeout: TIMEOUT.result });
  const text = async (id: string) => {
    const cell = page.locator(`[data-testid="${id}"]`);
    return (await cell.count()) > 0 ? (await cell.textContent({ timeout: 1000 })) ?? "" : "";
  };
  const detail = async (id: string) => {
    const cell = page.locator(`[data-testid="${id}"]`);
    if ((await cell.count()) === 0) return null;
    const json = await cell.getAttribute("data-detail", { timeout: 1000 });
    return json ? JSON.parse(json) : null;
  };
  return {
    state: (await page.locator('[data-testid="status"]').getAttribute("data-state")) ?? "",
    backend: await text("backend"),
    adapter: await text("adapter"),
    adapterInfo: await detail("adapter"),
    checksum: Number(await text("checksum")),
    parts: await detail("checksum"),
    error: await text("error"),
    firstRunMs: await text("first-run-ms"),
    warmRunMs: await text("warm-run-ms"),
  };
}

function _assertMatches(result: PageResult, expected: { checksum: number; parts: SmokeTestParts }) {
  assert.ok(result.parts, "the page shows no checksum parts");
  for (const key of Object.keys(expected.parts) as (keyof SmokeTestParts)[]) {
    assert.ok(
      checksumsAgree(result.parts[key], expected.parts[key], REL_TOL),
      `${result.backend} ${key} = ${result.parts[key]} but Deno cpu gives ${
        expected.parts[key]
      } (relative tolerance ${REL_TOL})`,
    );
  }
  assert.ok(
    checksumsAgree(result.checksum, expected.checksum, REL_TOL),
    `${result.backend} checksum ${result.checksum} != Deno cpu ${expected.checksum}`,
  );
}

/** Runs the smoke test again on `backend` through the page's select and Run button. */
async function _rerun(page: Page, backend: string): Promise<PageResult> {
  await page.locator('[data-testid="backend-select"]').selectOption(backend, {
    timeout: TIMEOUT.page,
  });
  await page.locator('[data-testid="run"]').click({ timeout: TIMEOUT.page });
  return await _readResult(page);
}

Deno.test({
  name: "browser: the page runs the smoke test on webgpu and matches Deno's cpu result",
  ignore: !haveChromium && !browser.IN_CI,
  async fn(t) {
    if (!haveChromium) {
      assert.fail(
        `${browser.CHROMIUM} is missing and CI=true: install it with: ${browser.INSTALL_HINT}`,
      );
    }
    // Reference: the same inputs on Deno's cpu backend.
    await initBackend({ backend: "cpu" });
    const expected = await runSmokeTest();

    const site = await Deno.makeTempDir({ prefix: "e2e-site-" });
    const shots = await Deno.makeTempDir({ prefix: "e2e-screenshots-" });
    let session: browser.BrowserSession | undefined;
    try {
      // The site: static/'s page and CSS plus a fresh build, never the checkout's dist/.
      session = await browser.openBrowserSession({
        site,
        profile: join(site, "profile"),
        timeout: TIMEOUT,
      });
      console.log(`build: ${(session.buildMs / 1e3).toFixed(1)} s`);
      const { page, problems, served, requests, assertStayedOnOrigin } = session;

      await page.goto(session.server.url, { timeout: TIMEOUT.page, waitUntil: "load" });
      const webgpu = await _readResult(page);
      const shot = join(shots, "backend_check_webgpu.png");
      await page.screenshot({ path: shot, fullPage: true, timeout: TIMEOUT.page });
      console.log(`webgpu: first run ${webgpu.firstRunMs}, warm run ${webgpu.warmRunMs}`);
      console.log(`screenshot: ${shot}`);

      await t.step("webgpu result", () => {
        assert.equal(webgpu.state, "done", `the page reported: ${webgpu.error} ${problems}`);
        assert.equal(webgpu.backend, "webgpu");
        assert.ok(webgpu.adapterInfo, "the page shows no adapter");
        assert.ok(webgpu.adapterInfo.description.trim() !== "", "the adapter description is empty");
        assert.equal(webgpu.adapter, webgpu.adapterInfo.description);
        console.log(`adapter: ${webgpu.adapter}`);
        _assertMatches(webgpu, expected);
      });

      await t.step("the page is cross-origin isolated (COOP + COEP)", async () => {
        assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
      });

      await t.step("cpu via the select matches too", async () => {
        const cpu = await _rerun(page, "cpu");
        assert.equal(cpu.state, "done", `the page reported: ${cpu.error}`);
        assert.equal(cpu.backend, "cpu");
        _assertMatches(cpu, expected);
      });

      await t.step("wasm loads its binaries from the page's origin and matches cpu", async () => {
        const wasm = await _rerun(page, "wasm");
        await page.screenshot({
          path: join(shots, "backend_check_wasm.png"),
          timeout: TIMEOUT.page,
        });
        // Our Conv2DBackpropFilter kernel (lib/runtime/wasm_kernels) makes the gradient
        // part run on wasm too, so the browser's wasm result must match Deno's cpu result.
        assert.equal(wasm.state, "done", wasm.error);
        assert.equal(wasm.backend, "wasm");
        _assertMatches(wasm, expected);
        assert.ok(served.some((line) => /^200 GET \/dist\/tfjs-backend-wasm.*\.wasm$/.test(line)));
      });

      await t.step("no request left the page's origin", () => {
        assertStayedOnOrigin(["data:"]);
        assert.ok(requests.some((url) => url.endsWith("/dist/backend_worker.js")));
      });
    } finally {
      await session?.close();
      await Deno.remove(site, { recursive: true }).catch(() => {});
    }
  },
});
