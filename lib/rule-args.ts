// The view arguments of a rule, inferred from its text at compile time: `<int:post_id>` gives
// `{ post_id: number }`, other converters strings; a route's `subdomain`/`host` option, its
// blueprint's subdomain and url_prefix, and its `defaults` add theirs (RouteArgs). Types only.

type ConverterOf<Inside extends string> = Inside extends `${infer C}(${string}`
  ? C
  : Inside extends `${infer C}:${string}`
    ? C
    : "default";
type NameOf<Inside extends string> = Inside extends `${string}:${infer Rest}` ? NameOf<Rest> : Inside;
type VariablePairs<S extends string> = S extends `${string}<${infer Inside}>${infer Rest}`
  ? [NameOf<Inside>, ConverterOf<Inside>] | VariablePairs<Rest>
  : never;
/** The TypeScript type a built-in converter produces; custom converters give strings. */
export type ConverterValue<C extends string> = C extends "int" | "float" ? number : string;

/**
 * The view arguments a rule string produces: `int`/`float` give numbers, everything else strings.
 *
 * @example
 * type A = RuleArgs<"/post/<int:post_id>/<path:rest>">; // { post_id: number; rest: string }
 */
export type RuleArgs<S extends string> = string extends S
  ? Record<string, unknown>
  : [VariablePairs<S>] extends [never]
    ? Record<string, never>
    : { [P in VariablePairs<S> as P[0]]: ConverterValue<P[1]> };

/** T when it is a literal string type, else "" (a pattern only known as `string` adds no variables). */
export type LiteralText<T> = [T] extends [never] ? "" : T extends string ? (string extends T ? "" : T) : "";
/** The literal value of option K of O, or "". */
type OptionText<O, K extends string> = O extends { readonly [P in K]: infer V } ? LiteralText<V> : "";
/** The `defaults` option of O, when its type names its keys (a Record<string, ...> adds none). */
type DefaultsOf<O> = O extends { readonly defaults: infer V } ? (V extends object ? (string extends keyof V ? object : V) : object) : object;
/** The type a default value reaches the view with: literals widened ({ page: 1 } gives a number). */
type DefaultValue<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends bigint
        ? bigint
        : T extends (...args: never[]) => unknown
          ? T
          : T extends object
            ? { -readonly [K in keyof T]: DefaultValue<T[K]> }
            : T;
/** The rule's variables and the defaults in one object; a default replaces a variable's value, as Werkzeug's match does. */
type ViewArgs<P extends readonly [string, string], Defaults> = [P[0] | keyof Defaults] extends [never]
  ? Record<string, never>
  : { [K in P[0] | keyof Defaults]: K extends keyof Defaults ? DefaultValue<Defaults[K]> : ConverterValue<Extract<P, readonly [K, string]>[1]> };

/**
 * The view arguments of a route: the variables of its rule, of its `subdomain` or `host`
 * option, of the pattern `D` of the blueprint it is registered on (its subdomain and
 * url_prefix), and the keys of its `defaults` option, whose values reach the view as they are.
 *
 * @example
 * type A = RouteArgs<"/n/<int:n>", { subdomain: "<int:shard>.db" }>; // { n: number; shard: number }
 * type B = RouteArgs<"/users/", { defaults: { page: 1 } }>; // { page: number }
 */
export type RouteArgs<R extends string, O = object, D extends string = ""> = string extends R
  ? Record<string, unknown>
  : ViewArgs<VariablePairs<`${R} ${OptionText<O, "subdomain">} ${OptionText<O, "host">} ${LiteralText<D>}`>, DefaultsOf<O>>;
