// MultiDict: Werkzeug's multi-valued mapping behind request.args, form, values, files and
// cookies. Behaviour checked against werkzeug.datastructures.MultiDict's documented API.
import { expect } from "chai";
import { BadRequestKeyError, CombinedMultiDict, MultiDict } from "../lib/index.js";

const pairs: [string, string][] = [["a", "1"], ["b", "x"], ["a", "2"], ["a", "three"]];

describe("MultiDict", () => {
  describe("indexing", () => {
    it("gives the first value of a key", () => {
      const md = new MultiDict(pairs);
      expect(md["a"]).to.equal("1");
      expect(md.getitem("b")).to.equal("x");
    });

    it("throws BadRequestKeyError (a 400) for a missing key, naming the key", () => {
      const md = new MultiDict(pairs);
      expect(() => md["username"]).to.throw(BadRequestKeyError).with.property("key", "username");
      try {
        void md["username"];
      } catch (error) {
        expect((error as BadRequestKeyError).code).to.equal(400);
      }
    });

    it("supports `in`, length and iteration over keys", () => {
      const md = new MultiDict(pairs);
      expect("a" in md && !("z" in md)).to.equal(true);
      expect(md.length).to.equal(2);
      expect([...md]).to.deep.equal(["a", "b"]);
    });
  });

  describe("get", () => {
    it("returns the default for a missing key", () => {
      const md = new MultiDict(pairs);
      expect(md.get("z")).to.equal(undefined);
      expect(md.get("z", "")).to.equal("");
    });

    it("converts with `type`; a failing conversion gives the default", () => {
      const md = new MultiDict(pairs);
      const int = (v: string): number => { if (!/^-?\d+$/.test(v)) throw new TypeError("not an int"); return Number(v); };
      expect(md.get("a", 0, int)).to.equal(1);
      expect(md.get("b", -1, int)).to.equal(-1);
      expect(md.get("b", -1, Number)).to.equal(-1); // NaN counts as a failed conversion
      expect(md.get("z", 7, int)).to.equal(7);
    });
  });

  describe("getlist", () => {
    it("returns every value, and only the convertible ones with `type`", () => {
      const md = new MultiDict(pairs);
      expect(md.getlist("a")).to.deep.equal(["1", "2", "three"]);
      expect(md.getlist("a", Number)).to.deep.equal([1, 2]);
      expect(md.getlist("z")).to.deep.equal([]);
    });
  });

  describe("to_dict / items / keys / values / lists", () => {
    it("flat and multi forms, grouped by first appearance as in Werkzeug", () => {
      const md = new MultiDict(pairs);
      expect(md.to_dict()).to.deep.equal({ a: "1", b: "x" });
      expect(md.to_dict(false)).to.deep.equal({ a: ["1", "2", "three"], b: ["x"] });
      expect(md.items()).to.deep.equal([["a", "1"], ["b", "x"]]);
      expect(md.items(true)).to.deep.equal([["a", "1"], ["a", "2"], ["a", "three"], ["b", "x"]]);
      expect(md.keys()).to.deep.equal(["a", "b"]);
      expect(md.values()).to.deep.equal(["1", "x"]);
      expect(md.lists()).to.deep.equal([["a", ["1", "2", "three"]], ["b", ["x"]]]);
      expect(JSON.stringify(md)).to.equal('{"a":"1","b":"x"}');
    });
  });

  describe("mutation", () => {
    it("request data is immutable; copy() gives a mutable MultiDict", () => {
      const frozen = new MultiDict(pairs, true);
      expect(() => frozen.add("c", "1")).to.throw(TypeError, /immutable/);
      expect(() => { frozen["c"] = "1"; }).to.throw(TypeError, /immutable/);
      const copy = frozen.copy();
      copy.add("c", "1");
      copy["a"] = "only";
      expect(copy.to_dict(false)).to.deep.equal({ a: ["only"], b: ["x"], c: ["1"] });
      expect(copy.pop("a")).to.equal("only");
      expect(copy.pop("a", null)).to.equal(null);
      expect(() => copy.pop("a")).to.throw(BadRequestKeyError);
    });
  });
});

describe("CombinedMultiDict", () => {
  it("reads several dicts as one, the first holding a key wins; getlist joins them", () => {
    const combined = new CombinedMultiDict([new MultiDict([["q", "args"]]), new MultiDict([["q", "form"], ["f", "1"]])]);
    expect(combined["q"]).to.equal("args");
    expect(combined.getlist("q")).to.deep.equal(["args", "form"]);
    expect(combined.get("f")).to.equal("1");
  });
});
