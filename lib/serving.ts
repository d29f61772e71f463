// The development server behind app.run() and `flaskish run` (Werkzeug's run_simple): serves
// the app on node:http without Express, prints Werkzeug's startup lines and access log, answers
// unhandled errors with the debug page (debug) or Flask's 500 page after logging them once, hands
// over to the reloader, and shuts down cleanly on SIGINT/SIGTERM. Owns listening and shutdown,
// and the connection-level answers Werkzeug's server gives before or instead of the app: heads
// past Python's limits (request-head-limits.ts says which) and CONNECT requests, which it routes
// like any other method.

import http from "node:http";
import type net from "node:net";
import os from "node:os";
import type { Duplex } from "node:stream";
import type { Flask } from "./app.js";
import { debugPageResponse } from "./debug-page.js";
import { environFrom, flaskish, sendResponse } from "./express-adapter.js";
import { InternalServerError, NotFound } from "./http-exceptions.js";
import { is_running_from_reloader, run_with_reloader } from "./reloader.js";
import { headRefusal, MAX_HEAD_SIZE, overflowRefusal, refusalBytes, refusalLogMessage, refusalResponse, type HeadRefusal } from "./request-head-limits.js";
import type { Response } from "./response.js";

type Stream = { write(chunk: string): unknown; isTTY?: boolean };

/** Options of `app.run()` and `run_simple()` (Werkzeug's run_simple arguments, plus the process handling). */
export interface RunOptions {
  /** Default "127.0.0.1"; "0.0.0.0" listens on every interface. */
  host?: string;
  /** Default 5000; 0 picks a free port. */
  port?: number;
  /** Sets app.debug; debug turns the reloader and the debug page on unless told otherwise. */
  debug?: boolean;
  /** Restart when a source file changes (default: app.debug). */
  use_reloader?: boolean;
  /** Show the debug page for unhandled errors (default: app.debug). */
  use_debugger?: boolean;
  /** Print the " * Serving Flask app" and " * Debug mode" lines (default true). */
  banner?: boolean;
  /** The name in the banner (default app.name; the CLI passes its --app value). */
  app_import_path?: string | null;
  /** More files whose change restarts the server. */
  extra_files?: string[];
  /** Folders the reloader watches (default the app's root_path). */
  watch?: string[];
  /**
   * The server owns the process (default true): SIGINT/SIGTERM close it gracefully and exit,
   * and a port in use prints one line and exits with 1. false (tests, embedding): the returned
   * promise rejects with a PortInUseError instead, and signals are left alone.
   */
  own_process?: boolean;
  /** Where the banner goes (default stdout) and where the log lines go (default stderr). */
  stdout?: Stream;
  log?: Stream;
}

/**
 * The port is taken; the message says how to pick another.
 *
 * @example
 * try { await app.run({ port: 5000, own_process: false }); }
 * catch (e) { if (e instanceof PortInUseError) await app.run({ port: e.port + 1, own_process: false }); }
 */
export class PortInUseError extends Error {
  override name = "PortInUseError";
  readonly port: number;
  constructor(port: number, options?: ErrorOptions) {
    super(
      `Address already in use\nPort ${port} is in use by another program. Either identify and stop that program, or start the server with a different port (flaskish run --port ${port + 1}, or app.run({ port: ${port + 1} })).`,
      options,
    );
    this.port = port;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");

/** Werkzeug's log line prefix: `127.0.0.1 - - [25/Nov/2026 10:00:00] `. */
function logPrefix(remote: string, when: Date): string {
  return `${remote} - - [${pad(when.getDate())}/${MONTHS[when.getMonth()]}/${when.getFullYear()} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}] `;
}

/** Werkzeug's access log line: `127.0.0.1 - - [25/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -`. */
export function accessLogLine(remote: string, when: Date, requestLine: string, code: number | string, style = false): string {
  // eslint-disable-next-line no-control-regex
  let msg = requestLine.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  if (style) msg = ansiFor(String(code)) + msg + (ansiFor(String(code)) ? "\x1b[0m" : "");
  return `${logPrefix(remote, when)}"${msg}" ${code} -`;
}

function ansiFor(code: string): string {
  if (code.startsWith("1")) return "\x1b[1m";
  if (code === "200") return "";
  if (code === "304") return "\x1b[36m";
  if (code.startsWith("3")) return "\x1b[32m";
  if (code === "404") return "\x1b[33m";
  if (code.startsWith("4")) return "\x1b[1m\x1b[31m";
  return "\x1b[1m\x1b[35m";
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

function interfaceAddress(family: "IPv4" | "IPv6"): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) if (info.family === family && !info.internal) return info.address;
  }
  return family === "IPv4" ? "127.0.0.1" : "::1";
}

/** Werkzeug's startup lines for `host:port` (log_startup), without the trailing "Press CTRL+C". */
export function startupLines(host: string, port: number): string[] {
  const lines = ["WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead."];
  let display = host;
  if (host === "0.0.0.0" || host === "::") {
    lines.push(` * Running on all addresses (${host})`);
    lines.push(` * Running on http://${host === "0.0.0.0" ? "127.0.0.1" : "[::1]"}:${port}`);
    display = interfaceAddress(host === "0.0.0.0" ? "IPv4" : "IPv6");
  }
  if (display.includes(":")) display = `[${display}]`;
  lines.push(` * Running on http://${display}:${port}`);
  return lines;
}

/** Resolves when nothing listens on host:port; rejects with PortInUseError otherwise. */
function checkPort(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = http.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(port, { cause: error }) : error));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * The request handler of the development server: the app with its own 404s, and unhandled
 * errors logged once (Flask's "Exception on /path [GET]") then answered with the debug page
 * (`debugger`) or Flask's 500 page. A head past Python's limits gets Werkzeug's refusal page
 * instead of the app. Writes one access log line per request.
 */
export function devRequestHandler(app: Flask, { debugger: showDebugPage = false, log = process.stderr as Stream } = {}): http.RequestListener {
  const middleware = flaskish(app, { fallthrough: false, propagate_errors: true });
  const style = Boolean(log.isTTY);
  return (req, res) => {
    const remote = req.socket.remoteAddress ?? "<local>";
    const refusal = headRefusal(req);
    res.once("close", () => {
      // Werkzeug logs a request line it refused to read as "".
      const line = refusal?.code === 414 ? "" : `${req.method} ${req.url} HTTP/${req.httpVersion}`;
      log.write(`${accessLogLine(remote, new Date(), line, res.statusCode, style)}\n`);
    });
    if (refusal !== null) {
      refuse(res, refusal, remote, log);
      return;
    }
    middleware(req, res, (error?: unknown) => {
      const ctx = app.request_context(environFrom(req));
      let response: Response;
      if (error === undefined) {
        response = new NotFound().get_response();
      } else {
        app.log_exception(ctx, error);
        response = showDebugPage ? debugPageResponse(error, `${ctx.request.method} ${ctx.request.full_path.replace(/\?$/, "")}`) : new InternalServerError().get_response();
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      void sendResponse(response, req, res, undefined);
    });
  };
}

/** send_error's answer through `res`, after its log line; the connection closes afterwards. */
function refuse(res: http.ServerResponse, refusal: HeadRefusal, remote: string, log: Stream): void {
  log.write(`${logPrefix(remote, new Date())}${refusalLogMessage(refusal)}\n`);
  const { reason, headers, body } = refusalResponse(refusal, new Date());
  res.writeHead(refusal.code, reason, headers.flat());
  res.end(body);
}

// What Node answers a head its parser refuses when nobody listens to 'clientError' (else 400).
const NODE_ANSWERS: Partial<Record<string, number>> = { HPE_CHUNK_EXTENSIONS_OVERFLOW: 413, ERR_HTTP_REQUEST_TIMEOUT: 408 };

type ClientError = Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number };

/**
 * node:http's server with the edges of Werkzeug's: heads as large as Python reads, a head past
 * that refused with send_error's page, and CONNECT requests answered by the request listeners.
 */
function createDevServer(handler: http.RequestListener, log: Stream): http.Server {
  const server = http.createServer({ maxHeaderSize: MAX_HEAD_SIZE }, handler);
  // The response a socket is writing, as Node's own check sees it: from the request to 'finish'.
  const writing = new WeakMap<Duplex, http.ServerResponse>();
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    writing.set(req.socket, res);
    res.once("finish", () => writing.get(req.socket) === res && writing.delete(req.socket));
  });
  const refused = new WeakSet<Duplex>();
  server.on("clientError", (error: ClientError, socket: Duplex) => {
    // Node reports the error again for every further packet of a refused head.
    if (refused.has(socket)) return;
    refused.add(socket);
    if (error.code === "ECONNRESET" || !socket.writable || writing.get(socket)?.headersSent) {
      socket.destroy();
      return;
    }
    let answer: Buffer;
    if (error.code === "HPE_HEADER_OVERFLOW") {
      const refusal = overflowRefusal(error.rawPacket, error.bytesParsed);
      const remote = (socket as net.Socket).remoteAddress ?? "<local>";
      log.write(`${logPrefix(remote, new Date())}${refusalLogMessage(refusal)}\n${accessLogLine(remote, new Date(), "", refusal.code, Boolean(log.isTTY))}\n`);
      answer = refusalBytes(refusal, new Date());
    } else {
      const code = NODE_ANSWERS[error.code ?? ""] ?? 400;
      answer = Buffer.from(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nConnection: close\r\n\r\n`, "latin1");
    }
    // end, not destroy: a client still sending its head would get a reset and lose the answer.
    // Node keeps reading (and dropping) what it sends until it closes, for a second at most.
    socket.end(answer);
    setTimeout(() => socket.destroy(), 1000).unref();
  });
  server.on("connect", (req: http.IncomingMessage, socket: Duplex) => answerConnect(server, req, socket as net.Socket));
  return server;
}

/**
 * Answers a CONNECT request through the request listeners, as Werkzeug routes it like any other
 * method (a 404 when no rule matches its target, a 405 when one matches other methods), then
 * closes the connection, as Werkzeug does after every response. Node hands a CONNECT over as a
 * tunnel (the 'connect' event) and drops the connection unanswered when nobody takes it.
 */
function answerConnect(server: http.Server, req: http.IncomingMessage, socket: net.Socket): void {
  const res = new http.ServerResponse(req);
  res.shouldKeepAlive = false;
  socket.on("error", () => socket.destroy());
  // Whatever follows the head is no tunnel's: read and drop it, so the close sends no reset.
  socket.resume();
  res.once("finish", () => socket.destroySoon());
  res.assignSocket(socket);
  server.emit("request", req, res);
}

/**
 * Stops accepting connections, lets in-flight requests finish (each answered with
 * `Connection: close`), closes idle keep-alive connections, and resolves once all are done;
 * after `grace_ms` the rest are cut.
 */
export function closeGracefully(server: http.Server, grace_ms = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const closeAfter = (res: http.ServerResponse): void => {
      if (!res.headersSent) res.setHeader("Connection", "close");
    };
    server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => closeAfter(res));
    for (const res of inFlight.get(server) ?? []) closeAfter(res);
    const timer = setTimeout(() => {
      server.closeAllConnections();
      // A CONNECT's connection left Node's list of connections when Node handed it over.
      for (const res of inFlight.get(server) ?? []) res.socket?.destroy();
    }, grace_ms);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

const inFlight = new WeakMap<http.Server, Set<http.ServerResponse>>();

function trackInFlight(server: http.Server): void {
  const set = new Set<http.ServerResponse>();
  inFlight.set(server, set);
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    set.add(res);
    res.once("close", () => set.delete(res));
  });
}

/**
 * Serves `app` on node:http (Werkzeug's run_simple, what app.run() calls); resolves with the
 * listening server. With the reloader on, this process only watches: the promise never resolves
 * and a child process serves.
 *
 * @example
 * const server = await run_simple(app, { port: 0, own_process: false });
 */
export async function run_simple(app: Flask, options: RunOptions = {}): Promise<http.Server> {
  const { host = "127.0.0.1", port = 5000, banner = true, own_process = true, extra_files = [] } = options;
  const stdout = options.stdout ?? process.stdout;
  const log = options.log ?? process.stderr;
  if (options.debug !== undefined) app.debug = options.debug;
  const useReloader = options.use_reloader ?? app.debug;
  const useDebugger = options.use_debugger ?? app.debug;
  const child = is_running_from_reloader();
  const fail = (error: unknown): never => {
    if (own_process && error instanceof PortInUseError) {
      log.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  };

  if (!child && banner) {
    const name = options.app_import_path === undefined ? app.name : options.app_import_path;
    if (name !== null) stdout.write(` * Serving Flask app '${name}'\n`);
    stdout.write(` * Debug mode: ${app.debug ? "on" : "off"}\n`);
  }
  if (useReloader && !child) {
    await checkPort(host, port).catch(fail);
    log.write(`${[...startupLines(host, port), "Press CTRL+C to quit"].join("\n")}\n`);
    if (useDebugger && !isLoopback(host)) log.write(debuggerWarning(host));
    return run_with_reloader({ watch: options.watch ?? [app.root_path], extra_files, log });
  }

  const server = createDevServer(devRequestHandler(app, { debugger: useDebugger, log }), log);
  trackInFlight(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(port, { cause: error }) : error));
    server.listen(port, host, () => resolve());
  }).catch(fail);
  const address = server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  if (!child) {
    log.write(`${[...startupLines(host, actualPort), "Press CTRL+C to quit"].join("\n")}\n`);
    if (useDebugger && !isLoopback(host)) log.write(debuggerWarning(host));
  }
  if (useDebugger) log.write(" * Debugger is active! (tracebacks only: no console, no PIN)\n");
  if (own_process) {
    let closing = false;
    const stop = (): void => {
      if (closing) process.exit(1);
      closing = true;
      void closeGracefully(server).then(() => process.exit(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  }
  return server;
}

function debuggerWarning(host: string): string {
  return ` * WARNING: debug mode is on and the server listens on ${host}, beyond this machine: anyone who can reach it sees tracebacks and source code. Use --host=127.0.0.1, or turn debug off.\n`;
}
