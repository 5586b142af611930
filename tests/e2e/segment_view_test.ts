/**
 * End to end: the web app's Segment view does what `deno task segment` does. Trains a
 * tiny U-Net with the CLI's smoke preset, segments one EM slice with the CLI, then gives
 * the same run folder, slice and mask to the page in headless Chromium (wasm backend) and
 * checks that it shows the same pooled Dice, an overlay of the slice's size, clear
 * messages for wrong input, and that no request left the page's origin.
 *
 * Needs Debian's `chromium` at /usr/bin/chromium and ../shared/data/seg/em_mito. Without
 * them the test is skipped, or fails when CI=true.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import * as browser from "./_browser_session.ts";
import { READ_WRITE, runCli } from "../_support/cli.ts";
import { decodeImage } from "../../lib/image/decode_image.ts";

/** The EM slice and its mask, beside the checkout (../shared/data/seg/em_mito). */
const EM = fileURLToPath(new URL("../../../shared/data/seg/em_mito/", import.meta.url));
const IMAGE = join(EM, "raw", "00.tif");
const MASK_DIR = join(EM, "mito");
const MASK = join(MASK_DIR, "00.png");
/** The slice's size in pixels. */
const SLICE_SIZE = 1024;
/**
 * The probability threshold of both segmentations. Two steps of training leave every
 * probability below the run's 0.75 (Dice 0 would compare nothing); at 0.4 about 8% of the
 * slice is foreground, so the Dice depends on the pixels.
 */
const THRESHOLD = 0.4;
/** Upper bounds on every wait, in milliseconds. */
const TIMEOUT = { build: 120_000, launch: 60_000, page: 30_000, result: 240_000 };

const missing = [
  ...(browser.fileExists(browser.CHROMIUM)
    ? []
    : [`${browser.CHROMIUM} (install: ${browser.INSTALL_HINT})`]),
  ...(browser.fileExists(IMAGE) && browser.fileExists(MASK) ? [] : [`${IMAGE} and ${MASK}`]),
];
if (missing.length > 0 && !browser.IN_CI) {
  console.warn(`tests/e2e/segment_view_test.ts skipped: missing ${missing.join("; ")}`);
}

/** Clicks Segment and waits for the view to finish (done or error). */
async function _segment(page: Page): Promise<{ state: string; error: string }> {
  await page.getByTestId("segment-run").click({ timeout: TIMEOUT.page });
  const status = page.locator('[data-testid="segment-status"]');
  await page.locator(
    '[data-testid="segment-status"]:is([data-state="done"], [data-state="error"])',
  ).waitFor({ timeout: TIMEOUT.result });
  const state = (await status.getAttribute("data-state")) ?? "";
  const error = page.getByTestId("segment-error");
  return { state, error: (await error.count()) > 0 ? (await error.textContent()) ?? "" : "" };
}

Deno.test({
  name: "browser: the Segment view segments a run folder and an EM slice like deno task segment",
  ignore: missing.length > 0 && !browser.IN_CI,
  async fn(t) {
    if (missing.length > 0) assert.fail(`CI=true but missing: ${missing.join("; ")}`);
    const dir = await Deno.makeTempDir({ prefix: "e2e-segment-" });
    let session: browser.BrowserSession | undefined;
    try {
      // The reference: a smoke run and the CLI's segmentation of the slice with its mask.
      const run = join(dir, "run");
      const trained = await runCli(
        ["train", "--config", "config/segmentation/smoke.toml", "--backend", "wasm", "--out", run],
        READ_WRITE,
      );
      assert.equal(trained.code, 0, trained.stderr);
      const cliOut = join(dir, "cli");
      const segmented = await runCli([
        "segment",
        "--run",
        run,
        "--input",
        IMAGE,
        "--masks",
        MASK_DIR,
        "--backend",
        "wasm",
        "--set",
        `infer.threshold=${THRESHOLD}`,
        "--out",
        cliOut,
      ], READ_WRITE);
      assert.equal(segmented.code, 0, segmented.stderr);
      const cli = JSON.parse(await Deno.readTextFile(join(cliOut, "evaluation.json")));

      // The site: static/'s page and CSS plus a fresh build, never the checkout's dist/.
      session = await browser.openBrowserSession({
        site: join(dir, "site"),
        profile: join(dir, "profile"),
        timeout: TIMEOUT,
      });
      const { page, problems, served, requests, assertStayedOnOrigin } = session;
      // ?backend=cpu: what the Backend check tab runs when opened at the end.
      await page.goto(`${session.server.url}?backend=cpu#segment`, {
        timeout: TIMEOUT.page,
        waitUntil: "load",
      });
      assert.equal(await page.getByTestId("tab-segment").getAttribute("aria-selected"), "true");

      await t.step(
        "a folder without run.json, or a classifier's run.json, is refused",
        async () => {
          await page.getByTestId("run-input").setInputFiles(join(run, "model"));
          const refused = page.getByTestId("run-error");
          await refused.waitFor({ timeout: TIMEOUT.page });
          assert.match((await refused.textContent()) ?? "", /^No run\.json among the 2 file\(s\)/);
          // A classifier's run folder: its run.json has no kind.
          const classifier = join(dir, "classifier-run");
          await Deno.mkdir(join(classifier, "model"), { recursive: true });
          await Deno.writeTextFile(join(classifier, "run.json"), '{"config": {"train": {}}}');
          await Deno.writeTextFile(join(classifier, "model", "model.json"), "{}");
          await page.getByTestId("run-input").setInputFiles(classifier);
          await page.getByText("Not a segmentation run: classifier-run/run.json has no kind")
            .waitFor({ timeout: TIMEOUT.page });
          assert.equal(await page.getByTestId("segment-run").isDisabled(), true);
        },
      );

      await t.step("the run, slice and mask give the CLI's pooled Dice", async () => {
        await page.getByTestId("run-input").setInputFiles(run);
        await page.getByTestId("image-input").setInputFiles(IMAGE);
        await page.getByTestId("mask-input").setInputFiles(MASK);
        await page.getByTestId("segment-backend").selectOption("wasm");
        await page.getByTestId("segment-threshold").fill(String(THRESHOLD));
        const started = performance.now();
        const { state, error } = await _segment(page);
        assert.equal(state, "done", `the page reported: ${error} ${problems.join("; ")}`);
        console.log(`page: ${((performance.now() - started) / 1e3).toFixed(1)} s on wasm`);
        assert.match((await page.getByTestId("segment-status").textContent()) ?? "", /on wasm/);

        const pooled = page.getByTestId("pooled-dice");
        const shown = (await pooled.textContent()) ?? "";
        const value = Number(await pooled.getAttribute("data-value"));
        console.log(
          `pooled Dice: page shows ${shown} (${value}), CLI evaluation.json ${cli.pooled.dice}`,
        );
        assert.equal(shown, cli.pooled.dice.toFixed(4));
        for (const key of ["iou", "precision", "recall"]) {
          const cell = (await page.getByTestId(`pooled-${key}`).textContent()) ?? "";
          assert.equal(cell, cli.pooled[key].toFixed(4), `pooled ${key}`);
        }
        assert.equal(await page.getByTestId("metrics-row").count(), 1);
        assert.equal(await page.getByTestId("empty-policy").getAttribute("data-policy"), "one");
        assert.equal(cli.policy.empty, "one");

        const overlay = page.getByTestId("overlay");
        await overlay.waitFor({ timeout: TIMEOUT.page });
        const size = await overlay.evaluate(async (node) => {
          const img = node as HTMLImageElement;
          await img.decode();
          return { width: img.naturalWidth, height: img.naturalHeight, src: img.src };
        });
        assert.deepEqual([size.width, size.height], [SLICE_SIZE, SLICE_SIZE]);
        assert.match(size.src, /^blob:/);
        const downloads = await page.getByTestId("download").evaluateAll((links) =>
          links.map((link) => link.getAttribute("data-path"))
        );
        for (const file of ["00_overlay.png", "00_mask.png", "regions.csv", "evaluation.json"]) {
          assert.ok(downloads.includes(file), `no download link for ${file}: ${downloads}`);
        }
        assert.match((await page.getByTestId("regions-note").textContent()) ?? "", /heuristic/i);

        // The mask itself, pixel by pixel, against the CLI's.
        const pageMask = await page.evaluate(async () => {
          const link = document.querySelector('[data-path="00_mask.png"]') as HTMLAnchorElement;
          return [...new Uint8Array(await (await fetch(link.href)).arrayBuffer())];
        });
        const ours = decodeImage(new Uint8Array(pageMask), { source: "page 00_mask.png" });
        const theirs = decodeImage(await Deno.readFile(join(cliOut, "00_mask.png")));
        let differ = 0;
        for (let i = 0; i < theirs.data.length; i++) {
          differ += ours.data[i] !== theirs.data[i] ? 1 : 0;
        }
        console.log(`mask pixels that differ from the CLI's: ${differ} of ${theirs.data.length}`);
        assert.ok(differ <= theirs.data.length * 1e-4, `${differ} mask pixels differ`);
        const cliRegions = (await Deno.readTextFile(join(cliOut, "regions.csv"))).trim()
          .split("\n").length - 1;
        const pageRegions = await page.getByTestId("region-row").count();
        console.log(`regions: page lists ${pageRegions}, the CLI's regions.csv has ${cliRegions}`);
        assert.equal(pageRegions, Math.min(cliRegions, 200));
        const shot = join(await Deno.makeTempDir({ prefix: "e2e-screenshots-" }), "segment.png");
        await page.screenshot({ path: shot, fullPage: true, timeout: TIMEOUT.page });
        console.log(`screenshot: ${shot}`);
        assert.deepEqual(problems, []);
      });

      await t.step("an image the decoder refuses shows the worker's one-line error", async () => {
        await page.getByTestId("image-input").setInputFiles({
          name: "broken.png",
          mimeType: "image/png",
          buffer: Buffer.from("not a PNG at all"),
        });
        await page.getByTestId("mask-input").setInputFiles([]);
        const { state, error } = await _segment(page);
        assert.equal(state, "error");
        console.log(`refused: ${error}`);
        assert.match(error, /broken\.png/);
        assert.doesNotMatch(error, /\n/);
      });

      await t.step("the Backend check tab starts its worker only when opened", async () => {
        assert.ok(!requests.some((url) => url.endsWith("/dist/backend_worker.js")));
        await page.getByTestId("tab-backend").click({ timeout: TIMEOUT.page });
        await page.locator('[data-testid="status"][data-state="done"]')
          .waitFor({ timeout: TIMEOUT.result });
        assert.equal(await page.getByTestId("backend").textContent(), "cpu");
        assert.equal(await page.getByTestId("segment-error").isVisible(), false);
        // The Segment view was hidden, not closed: it still shows its last run's error.
        // (isVisible does not wait; the click's re-render may land a moment later.)
        await page.getByTestId("tab-segment").click({ timeout: TIMEOUT.page });
        await page.getByTestId("segment-error").waitFor({
          state: "visible",
          timeout: TIMEOUT.page,
        });
      });

      await t.step("no request left the page's origin", () => {
        assertStayedOnOrigin(["data:", "blob:"]);
        assert.ok(requests.some((url) => url.endsWith("/dist/segment_worker.js")));
        assert.ok(served.some((line) => /^200 GET \/dist\/tfjs-backend-wasm.*\.wasm$/.test(line)));
      });
    } finally {
      await session?.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
