// A bounded memo for pure string functions on the request path (status reasons, content
// types, method case): values seen before are looked up, not recomputed. Past `limit`
// distinct keys it stops remembering, so hostile input cannot grow it.

/**
 * `compute` remembered for up to `limit` distinct keys.
 *
 * @example
 * const upper = memoize((method: string) => method.toUpperCase(), 100);
 * upper("get");   // "GET", computed once
 */
export function memoize<V>(compute: (key: string) => V, limit = 1000): (key: string) => V {
  const seen = new Map<string, V>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined && !seen.has(key)) {
      value = compute(key);
      if (seen.size < limit) seen.set(key, value);
    }
    return value as V;
  };
}
