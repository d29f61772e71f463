// ProxyFix: Werkzeug's middleware for apps behind reverse proxies. Wraps a WsgiApp and rewrites
// the Environ from X-Forwarded-For/-Proto/-Host/-Port/-Prefix, trusting only as many values
// (counted from the right, the proxies' end) as configured. Knows nothing of Node or Express.

import type { WsgiApp } from "./app.js";
import { parse_list_header } from "./http-parse.js";
import type { Environ } from "./request.js";
import { quote } from "./urls.js";

/** How many proxies set each header; 0 ignores the header. Werkzeug's defaults: x_for and x_proto 1. */
export interface ProxyFixOptions {
  x_for?: number;
  x_proto?: number;
  x_host?: number;
  x_port?: number;
  x_prefix?: number;
}

/** A WsgiApp wrapped by ProxyFix, with the wrapped app and the trusted counts on it. */
export type ProxyFixApp = WsgiApp & { readonly app: WsgiApp } & Readonly<Required<ProxyFixOptions>>;

function header(environ: Environ, name: string): string | undefined {
  const value = environ.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** The value the `trusted`-th proxy from the end saw, or null when fewer values were sent. */
function realValue(trusted: number, value: string | undefined): string | null {
  if (!trusted || !value) return null;
  const values = parse_list_header(value);
  return values.length >= trusted ? values[values.length - trusted]! : null;
}

/**
 * Trust X-Forwarded-* headers set by `x_for`, `x_proto`, ... proxies in front of the app
 * (Werkzeug's ProxyFix). Only the last N values of each header are considered, so a client
 * cannot spoof its address past the configured count. Changes remote_addr, scheme, host,
 * url_root, script_root and external URLs; the original values stay in
 * `environ.proxy_fix_orig`.
 *
 * @example
 * app.wsgi_app = ProxyFix(app.wsgi_app, { x_for: 1, x_proto: 1, x_host: 1, x_prefix: 1 });
 */
export function ProxyFix(app: WsgiApp, { x_for = 1, x_proto = 1, x_host = 0, x_port = 0, x_prefix = 0 }: ProxyFixOptions = {}): ProxyFixApp {
  const wrapped: WsgiApp = (environ, options) => app(fixEnviron(environ, { x_for, x_proto, x_host, x_port, x_prefix }), options);
  return Object.assign(wrapped, { app, x_for, x_proto, x_host, x_port, x_prefix });
}

function fixEnviron(environ: Environ, trust: Required<ProxyFixOptions>): Environ {
  const fixed: Environ = {
    ...environ,
    proxy_fix_orig: { remote_addr: environ.remote_addr, scheme: environ.scheme, host: environ.host, script_name: environ.script_name },
  };
  const forwardedFor = realValue(trust.x_for, header(environ, "x-forwarded-for"));
  if (forwardedFor) fixed.remote_addr = forwardedFor;
  const proto = realValue(trust.x_proto, header(environ, "x-forwarded-proto"));
  if (proto) fixed.scheme = proto;
  let host: string | null = null;
  const forwardedHost = realValue(trust.x_host, header(environ, "x-forwarded-host"));
  if (forwardedHost) host = forwardedHost;
  const port = realValue(trust.x_port, header(environ, "x-forwarded-port"));
  if (port) {
    let base = host ?? environ.host;
    // "]" ends an IPv6 address without a port.
    if (base.includes(":") && !base.endsWith("]")) base = base.slice(0, base.lastIndexOf(":"));
    host = `${base}:${port}`;
  }
  if (host !== null) {
    fixed.host = host;
    // Werkzeug rewrites HTTP_HOST too: request.headers must agree with request.host.
    fixed.headers = { ...environ.headers, host };
  }
  const prefix = realValue(trust.x_prefix, header(environ, "x-forwarded-prefix"));
  // The header is taken literally, as Werkzeug puts it in SCRIPT_NAME; the Environ keeps it encoded.
  if (prefix) fixed.script_name = quote(prefix, "/!$&'()*+,;=:@~");
  return fixed;
}
