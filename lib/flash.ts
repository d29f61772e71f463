// Message flashing (Flask's flash / get_flashed_messages): messages stored under the session's
// `_flashes` key as (category, message) tuples, so a cookie written here reads in Flask and back.
// Owns the storage format and the per-request cache of popped messages; not the session itself.

import { requireAppContext, requireRequestContext, session } from "./context.js";
import type { Markup } from "./markup.js";
import { message_flashed } from "./signals.js";
import { Tuple, tuple } from "./tagged-json.js";

/** A flashed message as stored in the session: Flask's `(category, message)` tuple. */
export type FlashedMessage = Tuple<string | Markup> & readonly [string, string | Markup];

/** Options of {@link get_flashed_messages} (Flask's keyword arguments). */
export interface GetFlashedMessagesOptions {
  /** Return `[category, message]` tuples instead of bare messages. */
  with_categories?: boolean;
  /** Only return messages whose category is one of these (empty: all). */
  category_filter?: Iterable<string>;
}

// Flask caches the popped list on the request context (`request_ctx.flashes`) so every call in
// one request sees the same messages although the session no longer holds them.
const FLASHES = Symbol("flaskish.flashes");

/**
 * Flashes a message to the next request that reads it (Flask's `flash`). The message is kept in
 * the session until a later `get_flashed_messages()` pops it, so it survives redirects.
 * Recommended categories: "message", "error", "info", "warning"; any string works.
 *
 * @example
 * app.post("/login", () => {
 *   session.username = request.form.get("username");
 *   flash("You were successfully logged in");
 *   return redirect(url_for("index"));
 * });
 */
export function flash(message: string | Markup, category = "message"): void {
  // Re-assign rather than append in place: server-side stores only see top-level writes.
  const stored = session.get("_flashes", []) as unknown;
  const flashes = Array.isArray(stored) ? [...(stored as FlashedMessage[])] : [];
  flashes.push(tuple(category, message) as FlashedMessage);
  session.set("_flashes", flashes);
  if (message_flashed.receivers.size > 0) message_flashed.send(requireAppContext().app, { message, category });
}

/**
 * Pops every flashed message from the session and returns them; later calls in the same request
 * return the same list (Flask's `get_flashed_messages`). `with_categories` gives
 * `[category, message]` tuples; `category_filter` keeps only the given categories (the two are
 * independent, as in Flask).
 *
 * @example
 * for (const message of get_flashed_messages()) ...
 * for (const [category, message] of get_flashed_messages({ with_categories: true })) ...
 * const errors = get_flashed_messages({ category_filter: ["error"] });
 */
export function get_flashed_messages(options?: GetFlashedMessagesOptions & { with_categories?: false }): (string | Markup)[];
export function get_flashed_messages(options: GetFlashedMessagesOptions & { with_categories: true }): FlashedMessage[];
export function get_flashed_messages(options?: GetFlashedMessagesOptions): (string | Markup)[] | FlashedMessage[];
/** Flask's positional form, as a template calls it: `get_flashed_messages(true, ["error"])`. */
export function get_flashed_messages(with_categories: true, category_filter?: Iterable<string>): FlashedMessage[];
export function get_flashed_messages(with_categories: false, category_filter?: Iterable<string> | null): (string | Markup)[];
export function get_flashed_messages(with_categories: boolean, category_filter?: Iterable<string> | null): (string | Markup)[] | FlashedMessage[];
export function get_flashed_messages(
  options: GetFlashedMessagesOptions | boolean | null = {},
  filter?: Iterable<string> | null,
): (string | Markup)[] | FlashedMessage[] {
  // From a template, a keyword after a positional argument arrives as a trailing options object;
  // None (null) is no filter, as in Flask.
  const positional = filter != null && !(Symbol.iterator in Object(filter)) ? (filter as GetFlashedMessagesOptions).category_filter : filter;
  const { with_categories = false, category_filter = [] } =
    typeof options === "boolean" || options === null ? { with_categories: options === true, category_filter: positional ?? [] } : options;
  const ctx = requireRequestContext();
  let flashes = ctx._extra.get(FLASHES) as FlashedMessage[] | undefined;
  if (flashes === undefined) {
    const popped = session.has("_flashes") ? (session.pop("_flashes") as unknown) : [];
    flashes = Array.isArray(popped) ? (popped as FlashedMessage[]) : [];
    ctx._extra.set(FLASHES, flashes);
  }
  const wanted = new Set(category_filter);
  if (wanted.size) flashes = flashes.filter((f) => wanted.has(f[0]));
  if (!with_categories) return flashes.map((f) => f[1]);
  return flashes;
}
