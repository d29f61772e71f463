// Expected JSON texts and decoded values came from real Flask 3.1's TaggedJSONSerializer run in an
// app context (spec/fixtures/gen/flask_session_vectors.py, "tagged_json" section).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { Markup } from "../lib/markup.js";
import { JSONTag, TaggedJSONSerializer, Tuple, httpDate, parseHttpDate, tuple } from "../lib/tagged-json.js";
import { UUID } from "../lib/uuid.js";
import { fromTyped, hasWholeFloat, jsView, toTyped, type Typed } from "./fixtures/gen/typed-values.js";

interface TaggedVector { value?: Typed; dumped?: string; text?: string; loaded: Typed }
const VECTORS = (JSON.parse(readFileSync(new URL("./fixtures/flask-session-vectors.json", import.meta.url), "utf8")) as {
  tagged_json: TaggedVector[];
}).tagged_json;

const s = new TaggedJSONSerializer();

describe("TaggedJSONSerializer.dumps", () => {
  for (const v of VECTORS.filter((x) => x.value !== undefined && !hasWholeFloat(x.value))) {
    it(`writes ${v.dumped} exactly as Flask does`, () => {
      expect(s.dumps(fromTyped(v.value as Typed))).to.equal(v.dumped);
    });
  }

  it("writes whole floats as ints, since JS numbers cannot tell 1.0 from 1 (documented loss)", () => {
    const whole = VECTORS.filter((x) => x.value !== undefined && hasWholeFloat(x.value));
    expect(whole.map((x) => x.dumped)).to.include.members(["1e+16", "1e+22"]);
    expect(s.dumps(1e16)).to.equal("10000000000000000");
    expect(s.dumps({ ratio: 1.0 })).to.equal('{"ratio":1}');
  });

  it("sorts keys by code point, whatever the insertion order", () => {
    expect(s.dumps({ "\u{1f600}": 1, "\uffff": 2, z: 3, A: 4, "10": 5, "2": 6 })).to.equal(
      '{"10":5,"2":6,"A":4,"z":3,"\\uffff":2,"\\ud83d\\ude00":1}',
    );
  });

  it("tags anything with an __html__ method as Markup, as Flask checks for __html__", () => {
    const htmlish = { __html__: () => "<em>hi</em>" };
    class Widget {
      __html__(): string {
        return "<w/>";
      }
    }
    // A plain object is a dict first (Flask's order: dicts before Markup), so use a class instance.
    expect(s.dumps(new Widget())).to.equal('{" m":"<w/>"}');
    expect(() => s.dumps(htmlish)).to.throw(TypeError, /function is not JSON serializable/);
  });

  it("drops milliseconds from dates (HTTP dates are whole seconds) and refuses Invalid Date", () => {
    expect(s.dumps(new Date("2015-10-21T07:28:00.999Z"))).to.equal('{" d":"Wed, 21 Oct 2015 07:28:00 GMT"}');
    expect(() => s.dumps(new Date(NaN))).to.throw(RangeError, /Invalid Date/);
  });

  it("writes any Uint8Array as bytes", () => {
    expect(s.dumps(new Uint8Array([1, 2, 3]).subarray(1))).to.equal('{" b":"AgM="}');
  });
});

describe("TaggedJSONSerializer.loads", () => {
  for (const v of VECTORS) {
    const text = v.dumped ?? (v.text as string);
    it(`reads ${text} to what Flask decoded`, () => {
      expect(toTyped(s.loads(text))).to.deep.equal(jsView(v.loaded));
    });
  }

  it("decodes tuples to frozen Tuple arrays and bytes to Buffers", () => {
    const out = s.loads('{"t":{" t":[1,{" t":[]}]},"b":{" b":"aGk="}}') as { t: Tuple; b: Buffer };
    expect(out.t).to.be.instanceOf(Tuple);
    expect(Object.isFrozen(out.t)).to.equal(true);
    expect(out.t[1]).to.be.instanceOf(Tuple);
    expect(Buffer.isBuffer(out.b) && out.b.toString()).to.equal("hi");
  });

  it("decodes ' m' to a Markup and ' u' to a UUID", () => {
    const out = s.loads('[{" m":"<b>x</b>"},{" u":"12345678123456781234567812345678"}]') as [Markup, UUID];
    expect(out[0]).to.be.instanceOf(Markup);
    expect(String(out[0])).to.equal("<b>x</b>");
    expect(out[1].toString()).to.equal("12345678-1234-5678-1234-567812345678");
  });

  it("keeps a '__proto__' key as data instead of changing the prototype", () => {
    const out = s.loads('{"__proto__":{"polluted":true},"a":{" di":{"__proto____":1}}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
    expect(Object.keys(out)).to.deep.equal(["__proto__", "a"]);
    expect(({} as Record<string, unknown>)["polluted"]).to.equal(undefined);
  });

  it("throws on malformed tag payloads and invalid JSON", () => {
    expect(() => s.loads('{" t":5}')).to.throw(TypeError, /tuple/);
    expect(() => s.loads('{" u":"nope"}')).to.throw(TypeError, /UUID/);
    expect(() => s.loads("{")).to.throw(SyntaxError);
  });
});

describe("TaggedJSONSerializer.register", () => {
  class TagMap extends JSONTag {
    override readonly key = " map";
    check(v: unknown): boolean {
      return v instanceof Map;
    }
    to_json(v: unknown): unknown {
      return [...(v as Map<string, unknown>)].map(([k, x]) => [k, this.serializer.tag(x)]);
    }
    override to_python(v: unknown): unknown {
      return new Map(v as [string, unknown][]);
    }
  }

  it("adds a tag that round-trips and escapes dicts that look like it", () => {
    const custom = new TaggedJSONSerializer();
    custom.register(TagMap, { index: 0 });
    const text = custom.dumps({ m: new Map([["a", tuple(1)]]), d: { " map": 1 } });
    expect(text).to.equal('{"d":{" di":{" map__":1}},"m":{" map":[["a",{" t":[1]}]]}}');
    const back = custom.loads(text) as { m: Map<string, unknown>; d: unknown };
    expect(back.m.get("a")).to.be.instanceOf(Tuple);
    expect(back.d).to.deep.equal({ " map": 1 });
  });

  it("refuses a duplicate key unless forced", () => {
    const custom = new TaggedJSONSerializer();
    custom.register(TagMap);
    expect(() => custom.register(TagMap)).to.throw(/already registered.*force/);
    custom.register(TagMap, { force: true });
    expect(custom.order.filter((t) => t.key === " map")).to.have.length(2);
  });
});

describe("tuple", () => {
  it("is a frozen Array whose map/filter return plain arrays", () => {
    const t = tuple("message", "Hello");
    expect(Array.isArray(t)).to.equal(true);
    expect(Object.isFrozen(t)).to.equal(true);
    expect(t.map((x) => x.length)).to.not.be.instanceOf(Tuple);
    expect(tuple(3)).to.have.length(1);
  });
});

describe("httpDate / parseHttpDate", () => {
  it("formats like Werkzeug's http_date, zero-padding the year", () => {
    const d = new Date(0);
    d.setUTCFullYear(5, 0, 2);
    d.setUTCHours(3, 4, 5);
    expect(httpDate(d)).to.equal("Sun, 02 Jan 0005 03:04:05 GMT");
  });
  it("returns null for text that is not a date, as Werkzeug's parse_date returns None", () => {
    expect(parseHttpDate("Wed, 21 Oct 2015 25:00:00 GMT")).to.equal(null);
    expect(parseHttpDate("yesterday")).to.equal(null);
  });
});
