// The return-value table: how whatever a view returns becomes a Response (Flask's
// make_response). Owns the tuple rule for arrays; knows nothing of requests or IO.

import type { IncomingMessage, ServerResponse } from "node:http";
import { Headers, type HeadersInit } from "./headers.js";
import { HTTPException } from "./http-exceptions.js";
import type { DefaultJSONProvider } from "./json-provider.js";
import { Response, type StreamBody } from "./response.js";

/** A plain Node / Express handler returned by a view: it answers the request itself. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => unknown;

/**
 * A response produced by a raw Node/Express handler (the last rule of the table). Headers set on
 * it (cookies from after_request, the session) are applied before the handler runs.
 */
export class RawHandlerResponse extends Response {
  readonly handler: RawHandler;
  constructor(handler: RawHandler) {
    super("");
    this.headers.clear();
    this.handler = handler;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isStatus(value: unknown): value is number | string {
  return (
    (typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599) ||
    (typeof value === "string" && /^[1-5]\d\d(?: .*)?$/.test(value))
  );
}

function isHeaderValues(value: unknown): boolean {
  return Object.values(value as object).every(
    (v) => typeof v === "string" || typeof v === "number" || (Array.isArray(v) && v.every((i) => typeof i === "string")),
  );
}

function isHeaders(value: unknown): value is HeadersInit {
  if (value instanceof Headers) return true;
  if (Array.isArray(value)) return value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string");
  return isPlainObject(value) && isHeaderValues(value);
}

function isStreamLike(value: unknown): value is StreamBody {
  return (
    typeof value === "object" &&
    value !== null &&
    (Symbol.asyncIterator in value || Symbol.iterator in value || typeof (value as { pipe?: unknown }).pipe === "function")
  );
}

/** A body that is never JSON: text, bytes, a Response or a stream. */
function isBody(value: unknown): boolean {
  return typeof value === "string" || value instanceof Uint8Array || value instanceof Response || (isStreamLike(value) && !Array.isArray(value) && !isPlainObject(value));
}

/**
 * The tuple rule. JavaScript has no tuples, so an array is read as Flask's
 * `(body, status)`, `(body, status, headers)` or `(body, headers)` exactly when:
 * - it has 2 or 3 items and the second is a status (an integer 100–599 or a "201 CREATED"
 *   string), the third (if any) being headers; or
 * - it has 2 items, the second is a `Headers` instance; or
 * - it has 2 items, the first is text, bytes, a Response or a stream, and the second is a
 *   plain object of header values.
 * Every other array is a JSON list. `jsonify()` always means JSON.
 */
export function asTuple(rv: unknown[]): [body: unknown, status: number | string | undefined, headers: HeadersInit | undefined] | null {
  if (rv.length === 3 && isStatus(rv[1]) && isHeaders(rv[2])) return [rv[0], rv[1], rv[2]];
  if (rv.length !== 2) return null;
  if (isStatus(rv[1])) return [rv[0], rv[1], undefined];
  if (rv[1] instanceof Headers) return [rv[0], undefined, rv[1]];
  if (isBody(rv[0]) && isPlainObject(rv[1]) && isHeaderValues(rv[1])) return [rv[0], undefined, rv[1] as HeadersInit];
  return null;
}

/**
 * Converts a view's return value into a Response, following Flask's table:
 * string -> text/html; object or array -> JSON through `json`; tuple -> body with status and/or
 * headers; Response as is; bytes; iterables, async iterables and Node streams -> streamed;
 * an HTTPException -> its response; a function -> a raw Node/Express handler.
 */
export function makeResponse(rv: unknown, json: DefaultJSONProvider, endpoint: string | null, response_class: typeof Response = Response): Response {
  let status: number | string | undefined;
  let headers: HeadersInit | undefined;
  if (Array.isArray(rv)) {
    const tuple = asTuple(rv);
    if (tuple !== null) [rv, status, headers] = tuple;
  }
  if (rv === undefined || rv === null) {
    throw new TypeError(
      `The view function for ${JSON.stringify(endpoint)} did not return a valid response. The function either returned null/undefined or ended without a return statement.`,
    );
  }
  let response: Response;
  if (rv instanceof Response) response = rv;
  else if (typeof rv === "string" || rv instanceof Uint8Array) response = new response_class(rv);
  else if (rv instanceof HTTPException) response = rv.get_response();
  else if (Array.isArray(rv) || isPlainObject(rv)) response = json.response(rv);
  else if (typeof rv === "function") response = new RawHandlerResponse(rv as RawHandler);
  else if (rv instanceof String || typeof (rv as { __html__?: unknown }).__html__ === "function") {
    // Markup and other String objects are text, not iterables of characters.
    response = new response_class(String(rv));
  } else if (isStreamLike(rv)) response = new response_class(rv);
  else {
    const kind = typeof rv === "object" ? rv.constructor?.name ?? "object" : typeof rv;
    throw new TypeError(
      `The view function for ${JSON.stringify(endpoint)} did not return a valid response. The return type must be a string, object, array, tuple with headers or status, Response instance, stream, or a Node handler function, but it was a ${kind}.`,
    );
  }
  if (status !== undefined) response.status = status;
  if (headers !== undefined) response.headers.update(headers);
  return response;
}
