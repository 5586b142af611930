import assert from "node:assert/strict";
import { join } from "node:path";
import { startStaticServer } from "../../app/cli/static_server.ts";

/** A served folder with a page, a wasm file and a subfolder, plus a secret beside it. */
async function _site() {
  const base = await Deno.makeTempDir({ prefix: "static-server-test-" });
  const root = join(base, "site");
  await Deno.mkdir(join(root, "dist"), { recursive: true });
  await Deno.writeTextFile(join(root, "index.html"), "<!doctype html><p>hi</p>");
  await Deno.writeFile(join(root, "dist", "x.wasm"), new Uint8Array([0, 97, 115, 109]));
  await Deno.writeTextFile(join(root, "dist", "a.js"), "export {};");
  await Deno.writeTextFile(join(base, "secret.txt"), "secret");
  await Deno.symlink(join(base, "secret.txt"), join(root, "link.txt"));
  return { base, root };
}

Deno.test("static server: content types, isolation headers, and no escape from root", async () => {
  const { base, root } = await _site();
  const server = await startStaticServer({ root, port: 0 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(server.port > 0);
    const get = async (path: string, init?: RequestInit) => {
      const response = await fetch(new URL(path, server.url), init);
      const body = new Uint8Array(await response.arrayBuffer());
      return { response, body };
    };

    const page = await get("/");
    assert.equal(page.response.status, 200);
    assert.equal(page.response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(page.response.headers.get("cross-origin-opener-policy"), "same-origin");
    assert.equal(page.response.headers.get("cross-origin-embedder-policy"), "require-corp");

    const wasm = await get("/dist/x.wasm");
    assert.equal(wasm.response.headers.get("content-type"), "application/wasm");
    assert.deepEqual([...wasm.body], [0, 97, 115, 109]);
    const js = await get("/dist/a.js");
    assert.equal(js.response.headers.get("content-type"), "text/javascript; charset=utf-8");

    assert.equal((await get("/missing.png")).response.status, 404);
    assert.equal((await get("/dist")).response.status, 404); // a folder without index.html
    // %2f is not a separator to the URL parser, but decodes to one: must not escape.
    assert.equal((await get("/dist%2f..%2f..%2fsecret.txt")).response.status, 403);
    assert.equal((await get("/link.txt")).response.status, 403); // symlink leaving root
    assert.equal((await get("/", { method: "POST" })).response.status, 405);
    const head = await get("/dist/x.wasm", { method: "HEAD" });
    assert.equal(head.response.status, 200);
    assert.equal(head.response.headers.get("content-length"), "4");
  } finally {
    await server.close();
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("static server: rejects a bad port and a missing folder", async () => {
  await assert.rejects(() => startStaticServer({ root: ".", port: 70000 }), RangeError);
  await assert.rejects(
    () => startStaticServer({ root: "/nonexistent-folder-for-test", port: 0 }),
    Deno.errors.NotFound,
  );
});
