// The `flaskish routes` table, laid out exactly as `flask routes` prints it. Owns formatting
// only: it reads the app's url_map and returns lines.

import type { Flask } from "../app.js";

/** The columns `--sort` accepts; "match" keeps registration (matching) order, as Flask does. */
export const ROUTE_SORTS = ["endpoint", "methods", "domain", "rule", "match"] as const;
export type RouteSort = (typeof ROUTE_SORTS)[number];

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The lines `flask routes` prints for `app`: a header, a dashed rule and one row per rule,
 * HEAD and OPTIONS hidden unless `all_methods`, a Subdomain (or Host) column only when a rule
 * has one.
 *
 * @example
 * routeLines(app, { sort: "rule" }).join("\n");
 */
export function routeLines(app: Flask, { sort = "endpoint", all_methods = false }: { sort?: RouteSort; all_methods?: boolean } = {}): string[] {
  const rules = app.url_map.iter_rules();
  if (rules.length === 0) return ["No routes were registered."];
  const ignored = all_methods ? new Set<string>() : new Set(["HEAD", "OPTIONS"]);
  const hostMatching = app.url_map.host_matching;
  const domainOf = (rule: (typeof rules)[number]): string => (hostMatching ? rule.host : rule.subdomain) ?? "";
  const hasDomain = rules.some((rule) => domainOf(rule) !== "");
  const rows = rules.map((rule) => {
    const methods = [...(rule.methods ?? [])].filter((m) => !ignored.has(m)).sort(byCodePoint).join(", ");
    return hasDomain ? [rule.endpoint, methods, domainOf(rule), rule.rule] : [rule.endpoint, methods, rule.rule];
  });
  const headers = hasDomain ? ["Endpoint", "Methods", hostMatching ? "Host" : "Subdomain", "Rule"] : ["Endpoint", "Methods", "Rule"];
  const sorts: string[] = hasDomain ? ["endpoint", "methods", "domain", "rule"] : ["endpoint", "methods", "rule"];
  const column = sorts.indexOf(sort);
  if (column !== -1) rows.sort((a, b) => byCodePoint(a[column]!, b[column]!));
  const table = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  table.splice(1, 0, widths.map((w) => "-".repeat(w)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
}
