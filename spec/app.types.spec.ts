// Type-level: view arguments are typed from the rule string, checked by `tsc --noEmit`
// (the @ts-expect-error lines fail the type-check if the wrong type were accepted).
import { expect } from "chai";
import { Blueprint, Flask, abort } from "../lib/index.js";

const app = new Flask(import.meta.url);

app.route("/post/<int:post_id>", ({ post_id }) => {
  const n: number = post_id;
  // @ts-expect-error post_id is a number, not a string
  const s: string = post_id;
  return `${n}${s}`;
});
app.route("/user/<username>/<float:score>/<path:rest>", { methods: ["GET"] }, ({ username, score, rest }) => {
  const text: string = username + rest;
  const value: number = score;
  // @ts-expect-error the rule has no `id` variable
  return `${text}${value}${id}`;
});
app.get("/items/<uuid:item_id>", ({ item_id }) => item_id.toUpperCase());
function wrongMethodsOption(): void {
  // @ts-expect-error get() takes no methods option: use route()
  app.get("/x", { methods: ["POST"] }, () => "x");
}

// The variables of a subdomain or host pattern reach the view too, typed like the rule's.
app.route("/n/<int:n>", { subdomain: "<int:shard>.db" }, ({ n, shard }) => {
  const sum: number = n + shard;
  return `${sum}`;
});
app.get("/", { host: "<name>.example.org" }, ({ name }) => name.toUpperCase());
app.route("/x", { subdomain: "<user>" }, ({ user }) => {
  // @ts-expect-error the subdomain's variable is a string
  const n: number = user;
  return `${n}`;
});
// A blueprint's subdomain: its variables reach every view of the blueprint.
const tenants = new Blueprint("tenants", import.meta.url, { subdomain: "<tenant>" });
tenants.route("/t/<int:id>", ({ tenant, id }) => `${tenant.toUpperCase()} ${id + 1}`);
const plain = new Blueprint("plain", import.meta.url);
plain.route("/p", ({ tenant }) => {
  // @ts-expect-error a blueprint without a subdomain gives no tenant (its type is never)
  return tenant.length;
});

function neverReturns(): string {
  abort(404); // typed `never`, so no return is needed after it
}

describe("route() typing", () => {
  it("compiles (the checks above run in tsc)", () => {
    expect(app.url_map.iter_rules().length).to.be.greaterThan(2);
    expect(neverReturns).to.throw();
    expect(wrongMethodsOption).to.throw(/Use the route\(\) method when passing 'methods'/);
  });
});
