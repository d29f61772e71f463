// HTTP exceptions: Werkzeug's HTTPException hierarchy, one class per status.
// Owns their codes, descriptions and default HTML pages (byte-identical to Werkzeug's); no IO.

import { escape } from "./markup.js";
import { Response } from "./response.js";
import { HTTP_STATUS_CODES } from "./status-codes.js";

/**
 * Base of every HTTP error. Throw one (or call {@link abort}) anywhere in a view or hook; an
 * error handler registered for its code or class, or its default page, answers the request.
 *
 * @example
 * class PaymentRequired extends HTTPException { static override code = 402; }
 * app.errorhandler(NotFound, (e) => [`<h1>${e.name}</h1>`, 404]);
 */
export class HTTPException extends Error {
  /** The status code; subclasses set it statically (Werkzeug's `code` class attribute). */
  static code: number | undefined = undefined;
  static description = "";

  code: number;
  description: string;
  /** A complete response to send instead of the default page (`abort(response)`). */
  response: Response | undefined;

  constructor(description?: string | null, response?: Response) {
    super();
    const ctor = this.constructor as typeof HTTPException;
    this.code = ctor.code ?? response?.status_code ?? 500;
    this.description = description ?? ctor.description;
    this.response = response;
    this.message = `${this.code} ${this.name}: ${this.description}`;
  }

  /** The status name, e.g. "Not Found" (Werkzeug's `name`). */
  override get name(): string {
    return HTTP_STATUS_CODES[this.code] ?? "Unknown Error";
  }

  override set name(_value: string) {
    // Error's constructor assigns `name`; Werkzeug's name always derives from the code.
  }

  /**
   * Werkzeug's `str(e)`: "404 Not Found: The requested URL was not found...", what `${e}` and
   * `{{ error }}` in a template print (Error's own toString would put the name in front again).
   *
   * @example
   * `${new NotFound("No post 42.")}`;   // "404 Not Found: No post 42."
   */
  override toString(): string {
    return `${this.code} ${this.name}: ${this.description}`;
  }

  /**
   * The `<p>` paragraph of the default page: the description escaped, newlines as `<br>`.
   *
   * @example
   * new NotFound("No post 42.").get_description(); // "<p>No post 42.</p>"
   */
  get_description(): string {
    return `<p>${escape(this.description).toString().replaceAll("\n", "<br>")}</p>`;
  }

  /**
   * The default HTML page.
   *
   * @example
   * const html = new NotFound().get_body(); // "<!doctype html>...<title>404 Not Found</title>..."
   */
  get_body(): string {
    const name = escape(this.name).toString();
    return `<!doctype html>\n<html lang=en>\n<title>${this.code} ${name}</title>\n<h1>${name}</h1>\n${this.get_description()}\n`;
  }

  /**
   * Extra headers of the default page (e.g. Allow for 405).
   *
   * @example
   * new MethodNotAllowed(["GET"]).get_headers(); // [["Content-Type", ...], ["Allow", "GET"]]
   */
  get_headers(): [string, string][] {
    return [["Content-Type", "text/html; charset=utf-8"]];
  }

  /**
   * The response to send: the one given to `abort(response)`, else the default page.
   *
   * @example
   * app.errorhandler(HTTPException, (e) => {
   *   const resp = e.get_response(); resp.headers.set("X-Error", e.name); return resp;
   * });
   */
  get_response(): Response {
    if (this.response !== undefined) return this.response;
    return new Response(this.get_body(), { status: this.code, headers: this.get_headers() });
  }
}

function define(code: number, description: string): typeof HTTPException {
  return class extends HTTPException {
    static override code = code;
    static override description = description;
  };
}

/**
 * 400 Bad Request: the request is malformed (Werkzeug's `BadRequest`).
 *
 * @example
 * if (!request.form.has("title")) throw new BadRequest("Title is required.");
 */
export class BadRequest extends define(400, "The browser (or proxy) sent a request that this server could not understand.") {}

/**
 * A missing key in `request.form`, `request.args`, ... (Werkzeug's BadRequestKeyError).
 * It is a 400 unless the view catches it, and it names the key in debug mode.
 *
 * @example
 * try { request.form["name"]; } catch (e) { if (e instanceof BadRequestKeyError) console.log(e.key); } // "name"
 */
export class BadRequestKeyError extends BadRequest {
  key: string;
  constructor(key: string, description?: string) {
    super(description);
    this.key = key;
  }
}

/**
 * A request refused for a security reason, a 400 like BadRequest (Werkzeug's SecurityError):
 * e.g. a Host not in TRUSTED_HOSTS.
 *
 * @example
 * app.errorhandler(SecurityError, (e) => ["refused", 400]);
 */
export class SecurityError extends BadRequest {}

/**
 * A Host that cannot be a host name (Werkzeug's BadHost), a 400 like BadRequest.
 *
 * @example
 * app.errorhandler(BadHost, () => ["Unknown host", 400]);
 */
export class BadHost extends BadRequest {}

/**
 * 401 Unauthorized. Give `www_authenticate` to send WWW-Authenticate challenges with the page.
 *
 * @example
 * throw new Unauthorized(null, undefined, 'Basic realm="Login Required"');
 */
export class Unauthorized extends define(401, "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.") {
  www_authenticate: string[];
  constructor(description?: string | null, response?: Response, www_authenticate: string | string[] = []) {
    super(description, response);
    this.www_authenticate = typeof www_authenticate === "string" ? [www_authenticate] : www_authenticate;
  }
  /** Adds one WWW-Authenticate header per challenge. */
  override get_headers(): [string, string][] {
    return [...super.get_headers(), ...this.www_authenticate.map((v): [string, string] => ["WWW-Authenticate", v])];
  }
}

/**
 * 403 Forbidden: the user is known but may not do this.
 *
 * @example
 * if (!g.user.is_admin) throw new Forbidden();
 */
export class Forbidden extends define(403, "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.") {}
/**
 * 404 Not Found: what `abort(404)` raises and what unmatched URLs answer.
 *
 * @example
 * const post = posts.get(post_id);
 * if (post === undefined) throw new NotFound(`No post ${post_id}.`);
 */
export class NotFound extends define(404, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.") {}

/**
 * 405 Method Not Allowed; `valid_methods` become the Allow header.
 *
 * @example
 * throw new MethodNotAllowed(["GET", "HEAD"]);   // Allow: GET, HEAD
 */
export class MethodNotAllowed extends define(405, "The method is not allowed for the requested URL.") {
  valid_methods: string[] | undefined;
  constructor(valid_methods?: string[], description?: string | null, response?: Response) {
    super(description, response);
    this.valid_methods = valid_methods;
  }
  /** Adds Allow with `valid_methods`, when given. */
  override get_headers(): [string, string][] {
    const headers = super.get_headers();
    if (this.valid_methods) headers.push(["Allow", this.valid_methods.join(", ")]);
    return headers;
  }
}

/**
 * 406 Not Acceptable: no representation matches the Accept headers.
 *
 * @example
 * if (!(request.headers.get("Accept") ?? "").includes("json")) throw new NotAcceptable();
 */
export class NotAcceptable extends define(406, "The resource identified by the request is only capable of generating response entities which have content characteristics not acceptable according to the accept headers sent in the request.") {}
/**
 * 408 Request Timeout: the client did not finish sending the request in time.
 *
 * @example
 * throw new RequestTimeout();
 */
export class RequestTimeout extends define(408, "The server closed the network connection because the browser didn't finish the request within the specified time.") {}
/**
 * 409 Conflict: the request clashes with the resource's current state.
 *
 * @example
 * if (users.has(username)) throw new Conflict(`User ${username} already exists.`);
 */
export class Conflict extends define(409, "A conflict happened while processing the request. The resource might have been modified while the request was being processed.") {}
/**
 * 410 Gone: the resource existed but was removed for good.
 *
 * @example
 * app.route("/old-api/<path:rest>", () => { throw new Gone(); });
 */
export class Gone extends define(410, "The requested URL is no longer available on this server and there is no forwarding address. If you followed a link from a foreign page, please contact the author of this page.") {}
/**
 * 411 Length Required: the body was sent without Content-Length.
 *
 * @example
 * if (request.content_length === undefined) throw new LengthRequired();
 */
export class LengthRequired extends define(411, "A request with this method requires a valid <code>Content-Length</code> header.") {}
/**
 * 412 Precondition Failed: an If-Match / If-Unmodified-Since check failed.
 *
 * @example
 * if (request.headers.get("If-Match") !== etag) throw new PreconditionFailed();
 */
export class PreconditionFailed extends define(412, "The precondition on the request for the URL failed positive evaluation.") {}
/**
 * 413 Request Entity Too Large: what MAX_CONTENT_LENGTH and the form limits raise.
 *
 * @example
 * app.errorhandler(RequestEntityTooLarge, () => ["File too big", 413]);
 */
export class RequestEntityTooLarge extends define(413, "The data value transmitted exceeds the capacity limit.") {}
/**
 * 414 Request URI Too Long.
 *
 * @example
 * if (request.url.length > 8000) throw new RequestURITooLarge();
 */
export class RequestURITooLarge extends define(414, "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed.") {}
/**
 * 415 Unsupported Media Type: what `request.get_json()` raises for a non-JSON body.
 *
 * @example
 * if (request.mimetype !== "text/csv") throw new UnsupportedMediaType("Send text/csv.");
 */
export class UnsupportedMediaType extends define(415, "The server does not support the media type transmitted in the request.") {}

/**
 * 416 Requested Range Not Satisfiable; `length` adds a Content-Range header that gives the full size.
 *
 * @example
 * throw new RequestedRangeNotSatisfiable(file_size);
 */
export class RequestedRangeNotSatisfiable extends define(416, "The server cannot provide the requested range.") {
  length: number | undefined;
  units: string;
  constructor(length?: number, units = "bytes", description?: string | null, response?: Response) {
    super(description, response);
    this.length = length;
    this.units = units;
  }
  /** Adds Content-Range with `units` and `length`, when a length is given. */
  override get_headers(): [string, string][] {
    const headers = super.get_headers();
    if (this.length !== undefined) headers.push(["Content-Range", `${this.units} */${this.length}`]);
    return headers;
  }
}

/**
 * 417 Expectation Failed: the Expect header cannot be met.
 *
 * @example
 * throw new ExpectationFailed();
 */
export class ExpectationFailed extends define(417, "The server could not meet the requirements of the Expect header") {}
/**
 * 418 I'm a teapot (RFC 2324).
 *
 * @example
 * app.route("/coffee", () => { throw new ImATeapot(); });
 */
export class ImATeapot extends define(418, "This server is a teapot, not a coffee machine") {}
/**
 * 421 Misdirected Request: this server cannot answer for that host.
 *
 * @example
 * throw new MisdirectedRequest();
 */
export class MisdirectedRequest extends define(421, "The server is not able to produce a response.") {}
/**
 * 422 Unprocessable Entity: well-formed but semantically invalid.
 *
 * @example
 * if (errors.length) throw new UnprocessableEntity(errors.join("\n"));
 */
export class UnprocessableEntity extends define(422, "The request was well-formed but was unable to be followed due to semantic errors.") {}
/**
 * 423 Locked (WebDAV).
 *
 * @example
 * if (doc.locked_by !== g.user) throw new Locked();
 */
export class Locked extends define(423, "The resource that is being accessed is locked.") {}
/**
 * 424 Failed Dependency (WebDAV): an action this one depended on failed.
 *
 * @example
 * throw new FailedDependency();
 */
export class FailedDependency extends define(424, "The method could not be performed on the resource because the requested action depended on another action and that action failed.") {}
/**
 * 428 Precondition Required: the request must be conditional.
 *
 * @example
 * if (!request.headers.has("If-Match")) throw new PreconditionRequired();
 */
export class PreconditionRequired extends define(428, 'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".') {}

/** Adds Retry-After (seconds, or an HTTP date) to 429 and 503 pages. */
class RetryAfterError extends HTTPException {
  retry_after: number | Date | undefined;
  constructor(description?: string | null, response?: Response, retry_after?: number | Date) {
    super(description, response);
    this.retry_after = retry_after;
  }
  /** Adds Retry-After: seconds as given, a Date as an HTTP date. */
  override get_headers(): [string, string][] {
    const headers = super.get_headers();
    if (this.retry_after instanceof Date) headers.push(["Retry-After", this.retry_after.toUTCString()]);
    else if (this.retry_after !== undefined) headers.push(["Retry-After", String(this.retry_after)]);
    return headers;
  }
}

/**
 * 429 Too Many Requests; `retry_after` (seconds or a Date) becomes Retry-After.
 *
 * @example
 * throw new TooManyRequests(null, undefined, 60);   // Retry-After: 60
 */
export class TooManyRequests extends RetryAfterError {
  static override code = 429;
  static override description = "This user has exceeded an allotted request count. Try again later.";
}
/**
 * 431 Request Header Fields Too Large.
 *
 * @example
 * throw new RequestHeaderFieldsTooLarge();
 */
export class RequestHeaderFieldsTooLarge extends define(431, "One or more header fields exceeds the maximum size.") {}
/**
 * 451 Unavailable For Legal Reasons.
 *
 * @example
 * if (blocked_regions.has(region)) throw new UnavailableForLegalReasons();
 */
export class UnavailableForLegalReasons extends define(451, "Unavailable for legal reasons.") {}

/**
 * A 500. `original_exception` holds the unhandled error that caused it, as in Flask.
 *
 * @example
 * app.errorhandler(InternalServerError, (e) => [`Failed: ${String(e.original_exception)}`, 500]);
 */
export class InternalServerError extends define(500, "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.") {
  original_exception: unknown;
  constructor(description?: string | null, response?: Response, original_exception?: unknown) {
    super(description, response);
    this.original_exception = original_exception;
  }
}

/**
 * 501 Not Implemented: the server does not support this action.
 *
 * @example
 * app.route("/export", () => { throw new NotImplemented("Export is not available yet."); });
 */
export class NotImplemented extends define(501, "The server does not support the action requested by the browser.") {}
/**
 * 502 Bad Gateway: an upstream server answered with something invalid.
 *
 * @example
 * if (!upstream.ok) throw new BadGateway();
 */
export class BadGateway extends define(502, "The proxy server received an invalid response from an upstream server.") {}
/**
 * 503 Service Unavailable; `retry_after` (seconds or a Date) becomes Retry-After.
 *
 * @example
 * if (maintenance) throw new ServiceUnavailable(null, undefined, 3600);
 */
export class ServiceUnavailable extends RetryAfterError {
  static override code = 503;
  static override description = "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.";
}
/**
 * 504 Gateway Timeout: an upstream server did not answer in time.
 *
 * @example
 * throw new GatewayTimeout();
 */
export class GatewayTimeout extends define(504, "The connection to an upstream server timed out.") {}
/**
 * 505 HTTP Version Not Supported.
 *
 * @example
 * throw new HTTPVersionNotSupported();
 */
export class HTTPVersionNotSupported extends define(505, "The server does not support the HTTP protocol version used in the request.") {}

/**
 * A redirect raised by the router (trailing slash, merged slashes, `redirect_to`): 308 by default.
 * `new_url` is absolute once the app has resolved it against the request.
 *
 * @example
 * app.route("/projects/", projects);   // GET /projects raises RequestRedirect -> 308 to /projects/
 */
export class RequestRedirect extends HTTPException {
  static override code = 308;
  new_url: string;
  constructor(new_url: string) {
    super();
    this.new_url = new_url;
  }
  /** Werkzeug's redirect page to `new_url`, with this error's code (308). */
  override get_response(): Response {
    return redirectResponse(this.new_url, this.code);
  }
}

/**
 * Werkzeug's redirect page (shared by `redirect()` and RequestRedirect).
 *
 * @example
 * const resp = redirectResponse("/login", 303);   // what redirect("/login", 303) returns
 */
export function redirectResponse(location: string, code: number): Response {
  const shown = escape(location).toString();
  const body =
    "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
    `<p>You should be redirected automatically to the target URL: <a href="${shown}">${shown}</a>. If not, click the link.\n`;
  const response = new Response(body, { status: code });
  response.headers.set("Location", location);
  return response;
}

/**
 * Every HTTP error class by status code: what `abort(code)` raises.
 *
 * @example
 * default_exceptions.get(404) === NotFound;   // true
 */
export const default_exceptions: ReadonlyMap<number, typeof HTTPException> = new Map(
  [
    BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, RequestTimeout, Conflict, Gone,
    LengthRequired, PreconditionFailed, RequestEntityTooLarge, RequestURITooLarge, UnsupportedMediaType,
    RequestedRangeNotSatisfiable, ExpectationFailed, ImATeapot, MisdirectedRequest, UnprocessableEntity, Locked,
    FailedDependency, PreconditionRequired, TooManyRequests, RequestHeaderFieldsTooLarge, UnavailableForLegalReasons,
    InternalServerError, NotImplemented, BadGateway, ServiceUnavailable, GatewayTimeout, HTTPVersionNotSupported,
  ].map((cls) => [cls.code as number, cls as typeof HTTPException]),
);

/** What abort() calls: raises the HTTP exception of a code (Werkzeug's Aborter), extendable through `mapping`. */
export interface Aborter {
  (status: number | Response, description?: string): never;
  /** Exception classes by status code: add one to abort() with a code of your own. */
  readonly mapping: Map<number, typeof HTTPException>;
}

/**
 * An Aborter over `mapping` (default: every Werkzeug HTTP exception).
 *
 * @example
 * class Teapot extends HTTPException { static override code = 418; }
 * app.aborter.mapping.set(599, NetworkTimeout);   // then abort(599) throws a NetworkTimeout
 */
export function makeAborter(mapping: ReadonlyMap<number, typeof HTTPException> = default_exceptions): Aborter {
  const aborter = ((status: number | Response, description?: string): never => {
    if (typeof status !== "number") throw new HTTPException(description ?? null, status);
    const cls = aborter.mapping.get(status);
    if (cls === undefined) {
      throw new TypeError(`abort(${status}): no HTTP exception is defined for this code. Add one to app.aborter.mapping, or raise a subclass of HTTPException with that code.`);
    }
    throw new cls(description ?? null);
  }) as Aborter;
  return Object.assign(aborter, { mapping: new Map(mapping) });
}
