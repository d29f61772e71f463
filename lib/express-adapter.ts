// The adapter: the only place that touches Node's req/res. Builds the Environ, runs the app's
// pipeline, writes the finished Response. Works the same under node:http, Connect, Express 4
// and Express 5: it uses nothing but Node's own request and response API, and adds nothing to
// req or res (in Express it re-defines one property of each, unchanged: lib/steady-shape.ts).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { FALLTHROUGH, Flask } from "./app.js";
import { Blueprint } from "./blueprint.js";
import { sameName } from "./headers.js";
import { InternalServerError } from "./http-exceptions.js";
import { RawHandlerResponse } from "./make-response.js";
import type { Environ } from "./request.js";
import type { Response } from "./response.js";
import { exc_info } from "./logging.js";
import { memoize } from "./memo.js";
import { iri_to_uri } from "./urls.js";
import { steadyShape } from "./steady-shape.js";

export type NextFunction = (err?: unknown) => void;
/** A Connect-style middleware, what `app.use()` takes in Express and Connect. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void;

/** Options of `flaskish(app, options)`: what a mounted app leaves to the host Express stack. */
export interface FlaskishOptions {
  /**
   * URLs no rule matches call `next()` so later Express routes still answer (default true when
   * mounted). false: the app answers them with its own 404 (and its 404 handler).
   */
  fallthrough?: boolean;
  /**
   * Unhandled errors with no flaskish handler for them or for 500 go to `next(err)`, the host
   * stack's error middleware (default true when mounted). false: Flask's 500 page.
   */
  propagate_errors?: boolean;
}

/** The mount prefix: Express's baseUrl, else what Connect stripped from originalUrl. */
function scriptNameOf(req: IncomingMessage & { baseUrl?: string; originalUrl?: string }, url: string): string {
  if (req.baseUrl !== undefined) return req.baseUrl;
  const original = req.originalUrl;
  if (original !== undefined && original !== url && original.endsWith(url)) return original.slice(0, original.length - url.length);
  return "";
}

/**
 * Builds the Environ of a Node request.
 *
 * @example
 * const ctx = app.request_context(environFrom(req));   // req: a node:http IncomingMessage
 */
export function environFrom(req: IncomingMessage): Environ {
  let url = req.url ?? "/";
  // An absolute-form request target (a proxy-style "GET http://host/x") routes as its path, as in Werkzeug.
  if (url.charCodeAt(0) !== 47 && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "") || "/";
  // A fragment is not part of the request (clients do not send one; Werkzeug drops it if they do).
  const hash = url.indexOf("#");
  if (hash !== -1) url = url.slice(0, hash);
  const q = url.indexOf("?");
  const rawPath = q === -1 ? url : url.slice(0, q);
  return {
    method: req.method ?? "GET",
    scheme: (req.socket as TLSSocket | undefined)?.encrypted ? "https" : "http",
    host: req.headers.host ?? `${req.socket?.localAddress ?? "localhost"}:${req.socket?.localPort ?? 80}`,
    script_name: scriptNameOf(req, req.url ?? "/"),
    raw_path: rawPath === "" ? "/" : rawPath.startsWith("/") ? rawPath : `/${rawPath}`,
    query_string: q === -1 ? "" : url.slice(q + 1),
    headers: req.headers,
    remote_addr: req.socket?.remoteAddress,
    node: req,
  };
}

// Werkzeug's get_wsgi_headers: no Content-Length on 1xx and 204, no entity headers on 304.
const ENTITY_HEADERS = new Set(["allow", "content-encoding", "content-language", "content-length", "content-md5", "content-range", "content-type", "last-modified"]);

/** 1xx, 204 and 304: no body, and some headers are not sent. */
const isBodyless = (code: number): boolean => code < 200 || code === 204 || code === 304;

function keepHeader(code: number, lower: string): boolean {
  return code < 200 || code === 204 ? lower !== "content-length" : code !== 304 || !ENTITY_HEADERS.has(lower);
}

/** The reason phrase of a status line ("404 NOT FOUND" -> "NOT FOUND"), cut once per distinct line. */
const reasonOf = memoize((status: string): string | undefined => status.slice(4) || undefined);

function writeHead(response: Response, res: ServerResponse): void {
  const code = response.status_code;
  const flat = response.headers._flat;
  // Most responses go out as they are: Node takes headers as the same flat list (and only reads it).
  res.writeHead(code, reasonOf(response.status), plainHeaders(code, flat) ? (flat as string[]) : preparedHeaders(code, flat));
}

const isLocation = (name: string): boolean => name.length === 8 && name.toLowerCase() === "location";

/** No header to drop for this status, no Location to encode, no repeated name. */
function plainHeaders(code: number, flat: readonly string[]): boolean {
  if (isBodyless(code)) return false;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!;
    if (isLocation(name)) return false;
    for (let j = 0; j < i; j += 2) if (sameName(flat[j]!, name)) return false;
  }
  return true;
}

// The headers Werkzeug's get_wsgi_headers would send: some dropped for the status, Location as
// a URI, and a repeated name (Set-Cookie, Vary...) as one name with a list of values: once a
// header was set before (Express sets X-Powered-By), Node 20's writeHead keeps only the last of
// repeated names.
function preparedHeaders(code: number, flat: readonly string[]): (string | string[])[] {
  const out: (string | string[])[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i]!;
    if (!keepHeader(code, key.toLowerCase())) continue;
    const text = isLocation(key) ? iri_to_uri(flat[i + 1]!) : flat[i + 1]!;
    let at = 0;
    while (at < out.length && !sameName(out[at] as string, key)) at += 2;
    if (at === out.length) out.push(key, text);
    else {
      const values = out[at + 1]!;
      if (Array.isArray(values)) values.push(text);
      else out[at + 1] = [values, text];
    }
  }
  return out;
}

/**
 * Writes a finished Response to Node's res: synchronously for fixed bodies, returning a promise
 * only while a streamed body or a raw handler is still running.
 *
 * A streamed body's first chunk is produced before the headers are sent, so a generator that
 * fails at once still becomes an error response (Werkzeug's server answers 500 there too); a
 * failure later can only drop the connection, and is reported to `onStreamError`.
 */
export function sendResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction | undefined,
  onStreamError: (error: unknown) => void = () => undefined,
): Promise<void> | undefined {
  if (response instanceof RawHandlerResponse) {
    for (const [key, value] of response.headers) res.appendHeader(key, value);
    const handled = response.handler(req, res, next ?? (() => undefined));
    return handled instanceof Promise ? handled.then(() => undefined) : undefined;
  }
  if (response.has_close_callbacks) res.once("close", () => response.close());
  const bodyless = req.method === "HEAD" || isBodyless(response.status_code);
  if (!response.is_streamed || bodyless) {
    writeHead(response, res);
    if (response.is_streamed) destroyStream(response);
    res.end(bodyless ? undefined : response._body_for_write);
    return undefined;
  }
  const stream = response.stream!;
  if (typeof (stream as Readable).pipe === "function") {
    writeHead(response, res);
    return pipeline(stream as Readable, res).catch(onStreamError);
  }
  return streamIterable(stream as Iterable<unknown> | AsyncIterable<unknown>, response, res, onStreamError);
}

async function streamIterable(
  body: Iterable<unknown> | AsyncIterable<unknown>,
  response: Response,
  res: ServerResponse,
  onStreamError: (error: unknown) => void,
): Promise<void> {
  const iterator = Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : (body as Iterable<unknown>)[Symbol.iterator]();
  const first = await iterator.next(); // a failure here rejects: the caller answers with an error
  writeHead(response, res);
  const rest = async function* (): AsyncGenerator<unknown> {
    if (first.done) return;
    yield first.value;
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) yield step.value;
  };
  await pipeline(Readable.from(rest()), res).catch(onStreamError);
}

/** A client that closed the connection mid-body is not an application error. */
function clientWentAway(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_STREAM_PREMATURE_CLOSE" || code === "EPIPE" || code === "ECONNRESET";
}

function destroyStream(response: Response): void {
  const stream = response.stream as { destroy?: () => void; return?: () => void } | null;
  if (typeof stream?.destroy === "function") stream.destroy();
  else if (typeof stream?.return === "function") stream.return();
}

function fallbackError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const response = new InternalServerError().get_response();
  res.writeHead(500, Object.fromEntries(response.headers));
  res.end(response.get_data());
}

/**
 * Mounts a Flask app (or a blueprint) in Express, Connect or plain `node:http` as a
 * Connect-style middleware.
 *
 * @example
 * const server = express();
 * server.use("/legacy", flaskish(app));   // url_for("index") answers "/legacy/"
 * server.use((req, res) => res.status(404).send("not here either"));
 */
export function flaskish(target: Flask | Blueprint, options: FlaskishOptions = {}): Middleware {
  const app = target instanceof Blueprint ? appForBlueprint(target) : target;
  const { fallthrough = true, propagate_errors = true } = options;
  const mounted = { fallthrough, propagate: propagate_errors };
  const standalone = { fallthrough: false, propagate: false };
  const onStreamError = (error: unknown): void => {
    if (!clientWentAway(error)) app.logger.exception("Error while streaming the response", exc_info(error));
  };
  return function flaskishMiddleware(req, res, next) {
    let result: ReturnType<typeof app.wsgi_app>;
    try {
      result = app.wsgi_app(environFrom(req), next === undefined ? standalone : mounted);
    } catch (error) {
      fail(error, res, next);
      return;
    }
    // Synchronous apps answer in the same tick: no promise is made on the common path.
    if (result instanceof Promise) {
      result.then((done) => finish(done, req, res, next, onStreamError)).catch((error: unknown) => fail(error, res, next));
      return;
    }
    try {
      finish(result, req, res, next, onStreamError);
    } catch (error) {
      fail(error, res, next);
    }
  };
}

/** Sends what the app answered, or hands the request on when it fell through. */
function finish(
  result: Response | typeof FALLTHROUGH,
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction | undefined,
  onStreamError: (error: unknown) => void,
): void {
  if (result === FALLTHROUGH) {
    next!();
    return;
  }
  if (next !== undefined) {
    // Mounted: Express swapped their prototypes, and writing the response would give them a
    // hidden class per request (lib/steady-shape.ts).
    steadyShape(req, "complete");
    steadyShape(res, "sendDate");
  }
  const sent = sendResponse(result, req, res, next, onStreamError);
  if (sent !== undefined) sent.catch((error: unknown) => fail(error, res, next));
}

/** An error the app did not turn into a response: the host's error middleware, else a bare 500. */
function fail(error: unknown, res: ServerResponse, next: NextFunction | undefined): void {
  if (next !== undefined) next(error);
  else fallbackError(res);
}

function appForBlueprint(bp: Blueprint): Flask {
  const app = new Flask(bp.import_name, { static_folder: null, root_path: bp.root_path });
  app.register_blueprint(bp);
  return app;
}
