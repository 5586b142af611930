/**
 * `serve`: serves static/ (the page and the built bundle) on 127.0.0.1.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type Command, EXIT, UsageError } from "../command.ts";
import { startStaticServer } from "../static_server.ts";

/** static/ of this checkout, whatever the working directory. */
const _DEFAULT_ROOT = fileURLToPath(new URL("../../../static/", import.meta.url));

function _parsePort(value: unknown): number {
  const text = String(value ?? "8000");
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535: got "${text}"`);
  }
  return port;
}

/** The `serve` command. */
export const command: Command = {
  name: "serve",
  summary: "Serve the web app (static/) on 127.0.0.1",
  help: `Usage: deno task serve [--port N] [--root DIR] [--verbose]

Serves the web app on http://127.0.0.1:PORT/ (loopback only) with the headers that make
the page cross-origin isolated (COOP same-origin, COEP require-corp). Build it first with
\`deno task build\`. Stop with Ctrl-C.

Flags:
  --port N     TCP port; 0 picks a free one (default 8000)
  --root DIR   folder to serve (default static/ of this checkout)
  --verbose    print one line per request

Examples:
  deno task build && deno task serve
  deno task serve --port 0`,
  flags: {
    port: { type: "string", default: "8000" },
    root: { type: "string" },
  },
  async run(ctx) {
    const port = _parsePort(ctx.values.port);
    const root = typeof ctx.values.root === "string" ? ctx.values.root : _DEFAULT_ROOT;
    let server;
    try {
      server = await startStaticServer({
        root,
        port,
        onRequest: ctx.verbose
          ? (method, path, status) => console.error(`${status} ${method} ${path}`)
          : undefined,
      });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof TypeError) {
        throw new UsageError(`--root ${root}: not a folder`);
      }
      if (error instanceof Deno.errors.AddrInUse) {
        throw new UsageError(`--port ${port}: the port is in use (try --port 0)`);
      }
      throw error;
    }
    console.log(`Serving ${root} at ${server.url} (Ctrl-C to stop)`);
    const { promise: interrupted, resolve } = Promise.withResolvers<void>();
    const onSignal = () => resolve();
    Deno.addSignalListener("SIGINT", onSignal);
    try {
      await interrupted;
    } finally {
      Deno.removeSignalListener("SIGINT", onSignal);
      await server.close();
    }
    return EXIT.ok;
  },
};
