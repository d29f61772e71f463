// Every Werkzeug HTTP exception: code, name, description, default page and headers byte for
// byte as real Werkzeug 3.1 makes them (spec/fixtures/http-exceptions.json, from
// spec/fixtures/gen/http_exceptions.py; constructor arguments as the generator used them).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as flaskish from "../lib/index.js";
import { Forbidden, HTTPException, NotFound, abort, default_exceptions } from "../lib/index.js";

interface Case { class: string; code: number; name: string; description: string; body: string; headers: [string, string][]; custom?: boolean }
const cases = JSON.parse(readFileSync(new URL("./fixtures/http-exceptions.json", import.meta.url), "utf8")) as Case[];

function make(c: Case): HTTPException {
  const cls = (flaskish as unknown as Record<string, new (...args: any[]) => HTTPException>)[c.class];
  if (cls === undefined) throw new Error(`flaskish exports no ${c.class}`);
  if (c.custom) return new cls(c.description);
  switch (c.class) {
    case "MethodNotAllowed": return new cls(["GET", "HEAD"]);
    case "RequestedRangeNotSatisfiable": return new cls(100);
    case "TooManyRequests":
    case "ServiceUnavailable": return new cls(null, undefined, 30);
    default: return new cls();
  }
}

describe("HTTP exceptions (expected values from real Werkzeug 3.1)", () => {
  for (const c of cases) {
    it(`${c.class}${c.custom ? " with a custom description" : ""}: ${c.code} ${c.name}`, () => {
      const error = make(c);
      expect(error.code).to.equal(c.code);
      expect(error.name).to.equal(c.name);
      expect(error.description).to.equal(c.description);
      const response = error.get_response();
      expect(response.status_code).to.equal(c.code);
      expect(response.get_data(true)).to.equal(c.body);
      expect(response.headers.items()).to.deep.equal(c.headers);
      expect(error).to.be.instanceOf(HTTPException).and.instanceOf(Error);
    });
  }

  // str(NotFound()) and str(Forbidden("No entry.")) in real Werkzeug 3.1.
  it("prints as Werkzeug's str(): code, name and description", () => {
    expect(String(new NotFound())).to.equal("404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.");
    expect(`${new Forbidden("No entry.")}`).to.equal("403 Forbidden: No entry.");
  });

  it("default_exceptions maps every code abort() accepts", () => {
    for (const c of cases.filter((k) => !k.custom)) {
      expect(default_exceptions.get(c.code)?.name, String(c.code)).to.equal(c.class);
      expect(() => abort(c.code)).to.throw(HTTPException).with.property("code", c.code);
    }
  });
});
