// The pure parts of the test client (lib/test-environ.ts): the request target it sends and where
// it follows a Location to. The behaviour end to end, against real Flask, is in
// spec/testing.spec.ts; these pin the rules the client relies on.
import { expect } from "chai";
import { redirectTarget, requestTarget } from "../lib/test-environ.js";

describe("requestTarget", () => {
  it("puts the path under the script root, an empty path as the root's /", () => {
    expect(requestTarget("/app", "/x", undefined)).to.equal("/app/x");
    expect(requestTarget("/app", "", "a=1")).to.equal("/app/?a=1");
    expect(requestTarget("", "", undefined)).to.equal("/");
  });

  it("sends non-ASCII query text percent-encoded and keeps what a query may hold", () => {
    expect(requestTarget("", "/q", "x=é&y='()*/?")).to.equal("/q?x=%C3%A9&y='()*/?");
  });
});

describe("redirectTarget", () => {
  const from = { scheme: "http", host: "Example.COM:80", scriptRoot: "/app" };

  it("follows a path on the same server, keeping the script root when the path is under it", () => {
    expect(redirectTarget(from, "/app/next?x=1")).to.deep.equal({ scheme: "http", host: "example.com:80", scriptRoot: "/app", target: "/app/next?x=1" });
    expect(redirectTarget(from, "/elsewhere")).to.deep.include({ scriptRoot: "", target: "/elsewhere" });
    expect(redirectTarget(from, "/application")).to.deep.include({ scriptRoot: "", target: "/application" });
    expect(redirectTarget(from, "/app/empty?")).to.deep.include({ target: "/app/empty" });
  });

  it("reads //host as a server and ///path as none, comparing hosts lower-cased", () => {
    expect(redirectTarget(from, "https://EXAMPLE.com/app/x")).to.deep.include({ scheme: "https", host: "example.com", target: "/app/x" });
    expect(redirectTarget(from, "///app/y")).to.deep.include({ host: "example.com:80", target: "/app/y" });
  });

  it("refuses another server, naming a subdomain redirect as such", () => {
    expect(() => redirectTarget(from, "//api.example.com/x")).to.throw("Following subdomain redirects is not enabled.");
    expect(() => redirectTarget(from, "http://other.org/x")).to.throw("Following external redirects is not supported.");
  });
});
