// Error-handler resolution, as Flask's _find_error_handler: by status code first (HTTP errors),
// then code-less handlers; blueprints (innermost first) before the app; along the error's class
// chain, most specific first. Pure lookup over the registry scaffold.ts fills.

import { HTTPException } from "./http-exceptions.js";
import type { ErrorHandler } from "./scaffold.js";

/** name -> code -> class -> handler, as Scaffold.error_handler_spec holds them. */
export type ErrorHandlerSpec = Map<string | null, Map<number | null, Map<Function, ErrorHandler>>>;

/** The handler for `error` in a request routed to `blueprints` (innermost first), if any. */
export function findErrorHandler(spec: ErrorHandlerSpec, error: unknown, blueprints: readonly string[]): ErrorHandler | undefined {
  if (error === null || error === undefined) return undefined;
  const code = error instanceof HTTPException ? error.code : null;
  for (const c of code === null ? [null] : [code, null]) {
    for (let i = 0; i <= blueprints.length; i++) {
      const byClass = spec.get(i === blueprints.length ? null : blueprints[i]!)?.get(c);
      if (byClass === undefined) continue;
      for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
        const handler = byClass.get(proto.constructor);
        if (handler !== undefined) return handler;
      }
    }
  }
  return undefined;
}
