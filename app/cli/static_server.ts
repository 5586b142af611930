/**
 * A small static file server for the web app: loopback only, correct content types, and
 * the cross-origin isolation headers that make SharedArrayBuffer available (wasm threads).
 *
 * @module
 */
import { extname, join, resolve, sep } from "node:path";

/** Content types by file extension; anything else is served as octet-stream. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".toml": "text/plain; charset=utf-8",
};

/** Headers on every response. COOP + COEP make the page cross-origin isolated. */
const _ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
  "x-content-type-options": "nosniff",
  "cache-control": "no-cache",
};

/** Options for {@linkcode startStaticServer}. */
export interface StaticServerOptions {
  /** Folder to serve. */
  root: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 8000. */
  port?: number;
  /** Called once per request with method, path and status (e.g. for a log line). */
  onRequest?: (method: string, path: string, status: number) => void;
}

/** A running server. */
export interface StaticServer {
  /** Base URL, e.g. "http://127.0.0.1:8000/". */
  url: string;
  /** The port actually bound. */
  port: number;
  /** Stops accepting connections and waits for the server to finish. */
  close(): Promise<void>;
}

function _response(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { ..._ISOLATION_HEADERS, "content-type": "text/plain; charset=utf-8", ...extra },
  });
}

/**
 * Maps a URL path to a file under `root`, or null when it would leave `root` (after
 * decoding `%2e%2e`, backslashes, and following symbolic links).
 */
async function _resolveFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  let path = resolve(root, "." + decoded);
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    if ((await Deno.stat(path)).isDirectory) path = join(path, "index.html");
    const real = await Deno.realPath(path);
    return real === root || real.startsWith(root + sep) ? real : null;
  } catch {
    return path; // missing: the caller answers 404
  }
}

async function _handle(root: string, request: Request): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return _response(405, "Method not allowed", { allow: "GET, HEAD" });
  }
  const path = await _resolveFile(root, new URL(request.url).pathname);
  if (path === null) return _response(403, "Forbidden: outside the served folder");
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return _response(404, "Not found");
    throw error;
  }
  const info = await file.stat();
  if (!info.isFile) {
    file.close();
    return _response(404, "Not found");
  }
  const headers = {
    ..._ISOLATION_HEADERS,
    "content-type": CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
    "content-length": String(info.size),
  };
  if (request.method === "HEAD") {
    file.close();
    return new Response(null, { status: 200, headers });
  }
  return new Response(file.readable, { status: 200, headers });
}

/**
 * Serves `root` on 127.0.0.1. Paths outside `root` get 403, missing files 404, methods
 * other than GET and HEAD 405.
 *
 * @example
 * ```ts ignore
 * import { startStaticServer } from "./static_server.ts";
 * const server = await startStaticServer({ root: "static", port: 0 });
 * const page = await fetch(server.url);
 * console.log(page.headers.get("cross-origin-opener-policy")); // "same-origin"
 * await page.body?.cancel();
 * await server.close();
 * ```
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const port = options.port ?? 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(
      `Cannot start the server as the port must be an integer in 0..65535: current value is ${port}`,
    );
  }
  const root = await Deno.realPath(resolve(options.root));
  if (!(await Deno.stat(root)).isDirectory) {
    throw new TypeError(`Cannot serve ${root} as it is not a folder`);
  }
  const { promise: listening, resolve: onListen } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: (address) => onListen(address as Deno.NetAddr),
    onError: (error) => _response(500, `Internal error: ${(error as Error).message}`),
  }, async (request) => {
    const response = await _handle(root, request);
    options.onRequest?.(request.method, new URL(request.url).pathname, response.status);
    return response;
  });
  const address = await listening;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    port: address.port,
    async close() {
      await server.shutdown();
    },
  };
}
