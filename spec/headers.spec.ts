// Headers: Werkzeug's ordered, case-insensitive, multi-valued header list.
import { expect } from "chai";
import { Headers } from "../lib/index.js";

describe("Headers", () => {
  describe("get / getlist / has", () => {
    it("look keys up case-insensitively, first value first", () => {
      const h = new Headers([["Set-Cookie", "a=1"], ["set-cookie", "b=2"], ["X-One", "1"]]);
      expect(h.get("SET-COOKIE")).to.equal("a=1");
      expect(h.getlist("set-cookie")).to.deep.equal(["a=1", "b=2"]);
      expect(h.has("x-one")).to.equal(true);
      expect(h.get("missing")).to.equal(undefined);
      expect(h.get("missing", "dflt")).to.equal("dflt");
    });
  });

  describe("set", () => {
    it("replaces every value of a key at the first one's position", () => {
      const h = new Headers([["A", "1"], ["B", "2"], ["a", "3"]]);
      h.set("a", "x");
      expect(h.items()).to.deep.equal([["a", "x"], ["B", "2"]]);
    });
    it("refuses newlines (response splitting) with a clear error", () => {
      expect(() => new Headers().set("X", "a\r\nSet-Cookie: evil=1")).to.throw(TypeError, /must not contain a newline/);
    });
  });

  describe("add / remove / update / extend", () => {
    it("add keeps existing values, remove drops all, update replaces per key", () => {
      const h = new Headers({ Vary: "Cookie" });
      h.add("Vary", "Accept");
      expect(h.getlist("vary")).to.deep.equal(["Cookie", "Accept"]);
      h.update({ vary: "Origin", "X-New": ["1", "2"] });
      expect(h.items()).to.deep.equal([["vary", "Origin"], ["X-New", "1"], ["X-New", "2"]]);
      h.remove("x-new");
      expect(h.keys()).to.deep.equal(["vary"]);
      h.extend(new Headers([["Vary", "Accept"]]));
      expect(h.getlist("Vary")).to.deep.equal(["Origin", "Accept"]);
    });
    it("setdefault sets only when absent", () => {
      const h = new Headers({ A: "1" });
      expect(h.setdefault("a", "2")).to.equal("1");
      expect(h.setdefault("B", 3)).to.equal("3");
      expect(h.get("b")).to.equal("3");
    });
  });
});

describe("Headers.update (Werkzeug's rules, checked with real Flask's make_response)", () => {
  it("a list of pairs sets one after the other: a repeated key keeps its last value (Flask: ['2'])", () => {
    expect(new Headers([["X-A", "0"]]).update([["X-A", "1"], ["X-A", "2"]]).getlist("x-a")).to.deep.equal(["2"]);
  });
  it("a record with a list sets every value (Flask: ['1', '2'])", () => {
    expect(new Headers([["X-A", "0"]]).update({ "X-A": ["1", "2"] }).getlist("x-a")).to.deep.equal(["1", "2"]);
  });
});
