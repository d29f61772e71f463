// Type-level checks of RuleArgs and RouteArgs (what route() gives a view): `tsc --noEmit` proves
// them (an @ts-expect-error line that stops erroring fails the type-check); the runtime `it`s
// only let mocha load the file and check that the routes below were registered.
import { expect } from "chai";
import { Blueprint, Flask } from "../lib/index.js";
import type { RouteArgs, RuleArgs } from "../lib/rule-args.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// The brief's example: int -> number, path -> string.
assertType<Equal<RuleArgs<"/post/<int:post_id>/<path:rest>">, { post_id: number; rest: string }>>();
// No converter means the default (string) converter.
assertType<Equal<RuleArgs<"/user/<username>">, { username: string }>>();
// float is a number; uuid, any and custom converters are strings.
assertType<Equal<RuleArgs<"/<float:x>/<uuid:id>/<any(a, b):page>/<list:tags>">, { x: number; id: string; page: string; tags: string }>>();
// Parenthesised arguments, with commas, quotes and even colons, do not break inference.
assertType<Equal<RuleArgs<"/<int(fixed_digits=4, signed=True):year>/<string(length=2):code>">, { year: number; code: string }>>();
assertType<Equal<RuleArgs<'/<any("a:b", c):choice>'>, { choice: string }>>();
// Variables embedded in static text.
assertType<Equal<RuleArgs<"/x<int:a>y/<b>.json">, { a: number; b: string }>>();
// No variables: no keys at all.
assertType<Equal<RuleArgs<"/about/">, Record<string, never>>>();
// A rule only known as `string` cannot be inferred.
assertType<Equal<RuleArgs<string>, Record<string, unknown>>>();

// @ts-expect-error post_id is a number, not a string
assertType<Equal<RuleArgs<"/post/<int:post_id>">, { post_id: string }>>();
// @ts-expect-error a variable is not optional
assertType<Equal<RuleArgs<"/a/<x>/<y>">, { x: string; y?: string }>>();

export const wrongValue: RuleArgs<"/post/<int:post_id>"> = {
  // @ts-expect-error a string where the int converter gives a number
  post_id: "1",
};
// @ts-expect-error y is missing
export const missingValue: RuleArgs<"/a/<x>/<y>"> = { x: "1" };
export const extraValue: RuleArgs<"/about"> = {
  // @ts-expect-error a rule without variables gives no arguments
  x: "1",
};

// RouteArgs: the keys of `defaults` are view arguments too, typed from their values (widened:
// { page: 1 } gives a number). Werkzeug's match puts the defaults over the URL's values, so a
// default's type wins over a variable's of the same name.
assertType<Equal<RouteArgs<"/users/", { readonly defaults: { readonly page: 1 } }>, { page: number }>>();
assertType<Equal<RouteArgs<"/u/<name>/", { defaults: { page: 1; flag: true; tags: readonly ["a"] } }>, { name: string; page: number; flag: boolean; tags: [string] }>>();
assertType<Equal<RouteArgs<"/x/<x>", { defaults: { x: 5 } }>, { x: number }>>();
// No variables and no defaults: still no keys. Options not known to have defaults add none.
assertType<Equal<RouteArgs<"/about/", { methods: ["GET"] }>, Record<string, never>>>();
assertType<Equal<RouteArgs<"/n/<int:n>", { defaults?: Record<string, unknown> }>, { n: number }>>();
// Defaults typed only as a record name no keys: the rule's variables keep their types.
assertType<Equal<RouteArgs<"/n/<int:n>", { defaults: Record<string, unknown> }>, { n: number }>>();
assertType<Equal<RouteArgs<"/s/<slug>", { defaults: Record<string, number> }>, { slug: string }>>();

// Werkzeug's pattern of a rule with defaults and one with the variable, both on one view,
// type-checks with the view's own annotation only, on every registration method.
const app = new Flask(import.meta.url);
function show_users({ page }: { page: number }): string {
  return `page ${page}`;
}
app.route("/users/", { defaults: { page: 1 } }, show_users);
app.route("/users/page/<int:page>", show_users);
app.get("/g/", { defaults: { page: 1 } }, show_users);
app.post("/p/", { defaults: { page: 1 } }, show_users);
app.put("/u/", { defaults: { page: 1 } }, show_users);
app.delete("/d/", { defaults: { page: 1 } }, show_users);
app.patch("/pa/", { defaults: { page: 1 } }, show_users);
app.add_url_rule("/a/", { defaults: { page: 1 } }, show_users);
app.route("/flag/", { defaults: { flag: true } }, ({ flag }) => {
  const b: boolean = flag;
  // @ts-expect-error a boolean default gives a boolean, not a string
  const s: string = flag;
  return `${b}${s}`;
});
app.get("/items/<int:id>", { defaults: { format: "json" } }, ({ id, format }) => `${id + 1}.${format.toUpperCase()}`);
// @ts-expect-error the default is a number, the view wants a string
app.route("/wrong/", { defaults: { page: 1 } }, ({ page }: { page: string }) => page);

// A blueprint's url_prefix (with its subdomain) gives its variables to every view of it.
const docs = new Blueprint("docs", import.meta.url, { url_prefix: "/<lang>" });
docs.route("/page/<int:n>", ({ lang, n }) => `${lang.toUpperCase()} ${n + 1}`);
docs.get("/", { defaults: { page: 1 } }, ({ lang, page }) => `${lang} ${page.toFixed()}`);
const shards = new Blueprint("shards", import.meta.url, { url_prefix: "/v<int:version>", subdomain: "<tenant>" });
shards.route("/", ({ version, tenant }) => {
  const v: number = version;
  // @ts-expect-error the prefix's int converter gives a number
  const s: string = version;
  return `${tenant} ${v}${s}`;
});
// A prefix only known as a string adds nothing; so does one given to register_blueprint.
const prefix: string = "/x";
const loose = new Blueprint("loose", import.meta.url, { url_prefix: prefix });
loose.route("/", ({ lang }) => {
  // @ts-expect-error no variables: lang is never
  const s: string = lang;
  return s;
});
// Either blueprint is still a plain Blueprint.
const anyBlueprint: Blueprint[] = [docs, shards, loose, new Blueprint("plain", import.meta.url)];
app.register_blueprint(docs);

describe("RouteArgs", () => {
  it("is checked by tsc, on routes that register at runtime", () => {
    expect(app.url_map.iter_rules().filter((r) => r.defaults?.page === 1)).to.have.length(9);
    expect(anyBlueprint).to.have.length(4);
  });
});

describe("RuleArgs", () => {
  it("is checked by tsc (this file type-checks only if every assertion holds)", () => {
    expect(assertType<true>()).to.equal(undefined);
  });
});
