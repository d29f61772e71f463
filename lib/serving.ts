// The development server: app.run() and `flaskish run` serve the app on node:http directly,
// without Express, owning their 404s and 500s. Owns listening and shutdown only.

import http from "node:http";
import type { Flask } from "./app.js";
import { flaskish } from "./express-adapter.js";

export interface RunOptions {
  host?: string;
  port?: number;
  debug?: boolean;
  /** Print the " * Serving Flask app" banner (default true). */
  banner?: boolean;
}

/** Serves `app` on node:http; resolves once listening. */
export function run_simple(app: Flask, { host = "127.0.0.1", port = 5000, debug, banner = true }: RunOptions = {}): Promise<http.Server> {
  if (debug !== undefined) app.debug = debug;
  const handler = flaskish(app, { fallthrough: false, propagate_errors: false });
  const server = http.createServer((req, res) => handler(req, res));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      if (banner) {
        const address = server.address();
        const actualPort = typeof address === "object" && address !== null ? address.port : port;
        process.stderr.write(` * Serving Flask app '${app.name}'\n * Debug mode: ${app.debug ? "on" : "off"}\n`);
        process.stderr.write(` * Running on http://${host}:${actualPort} (Press CTRL+C to quit)\n`);
      }
      resolve(server);
    });
  });
}
