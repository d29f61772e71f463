/**
 * Python's `json` module, byte for byte, as far as a session cookie needs it.
 *
 * Owns: encoding JS values to the exact text `json.dumps(obj, separators=(",", ":"),
 * sort_keys=True, ensure_ascii=True)` writes (what Flask's session serializer produces inside an
 * app context), and a parser that reads everything `json.loads` reads (including `NaN` and
 * `Infinity`, and integers too big for a double, which become `bigint`).
 * Must not know about tags, signing or cookies.
 *
 * Numbers: JS has one number type, Python two. An integral JS number is written as a Python int
 * (`1`, never `1.0`); a fractional one as Python's `repr(float)` (`1e-05`, `1.5e+16`). Reading
 * `1.0` therefore gives `1`, which re-encodes as `1`: a float that happens to be whole does not
 * survive a round trip through JS as a float.
 */

export interface PythonJsonDumpOptions {
  /** Sort object keys by code point, like `sort_keys=True`. Default true. */
  sort_keys?: boolean;
  /** Escape every non-ASCII character as `\uXXXX`, like `ensure_ascii=True`. Default true. */
  ensure_ascii?: boolean;
}

/**
 * Serialize like Python's `json.dumps` with compact separators.
 *
 * Accepts null, booleans, numbers, bigints, strings, arrays and plain objects; objects with a
 * `toJSON()` method are replaced by its result. `undefined` object members are skipped and
 * `undefined` array items become `null`, as `JSON.stringify` does.
 *
 * @example
 * python_json_dumps({ b: 1, a: "é" }); // '{"a":"\\u00e9","b":1}'
 */
export function python_json_dumps(value: unknown, options: PythonJsonDumpOptions = {}): string {
  const sortKeys = options.sort_keys ?? true;
  const ascii = options.ensure_ascii ?? true;
  const seen = new Set<object>();

  const encode = (v: unknown): string => {
    if (v === null) return "null";
    switch (typeof v) {
      case "boolean":
        return v ? "true" : "false";
      case "number":
        return encodeNumber(v);
      case "bigint":
        return v.toString();
      case "string":
        return encodeString(v, ascii);
      case "object":
        break;
      default:
        throw new TypeError(
          `Object of type ${typeof v} is not JSON serializable; store only JSON-like values ` +
            "(or a type the tagged serializer knows) in the session",
        );
    }
    const obj = v as object;
    if (seen.has(obj)) throw new TypeError("Circular reference detected while serializing to JSON");
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        return `[${obj.map((item: unknown) => (item === undefined ? "null" : encode(item))).join(",")}]`;
      }
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") return encode(toJSON.call(obj));
      if (!isPlainObject(obj)) {
        throw new TypeError(
          `Object of type ${obj.constructor?.name ?? "unknown"} is not JSON serializable; ` +
            "convert it to a plain object or register a tag for it on the TaggedJSONSerializer",
        );
      }
      const rec = obj as Record<string, unknown>;
      let keys = Object.keys(rec).filter((k) => rec[k] !== undefined);
      if (sortKeys) keys = keys.sort(compareCodePoints);
      return `{${keys.map((k) => `${encodeString(k, ascii)}:${encode(rec[k])}`).join(",")}}`;
    } finally {
      seen.delete(obj);
    }
  };
  return encode(value);
}

/** True for `{}` literals and `Object.create(null)` objects, the JS stand-ins for a Python dict. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Set `key` on `target` as an own data property, even when the key is `__proto__` (a plain
 * assignment would swap the prototype instead, which untrusted JSON must never be able to do).
 */
export function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

// Python's str comparison is by code point; JS's `<` compares UTF-16 units, which disagrees for
// astral characters versus U+E000..U+FFFF.
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

function encodeNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (Number.isInteger(n)) return BigInt(n).toString();
  // toExponential() without an argument yields the shortest round-trip digits, as Python's
  // repr does; only the layout differs.
  const [mantissa = "", expText = "0"] = n.toExponential().split("e");
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  // Python switches to exponent form below 1e-4 (and at 1e16, but every double that large is
  // integral and took the int path above).
  if (exp < -4) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${frac}e-${String(-exp).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}.${fracPart === "" ? "0" : fracPart}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
};

function encodeString(s: string, ascii: boolean): string {
  // Python escapes outside ' '..'~' when ensure_ascii (so DEL too); otherwise only controls.
  const pattern = ascii ? /["\\\u0000-\u001f\u007f-\uffff]/g : /["\\\u0000-\u001f]/g;
  const body = s.replace(pattern, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) return short;
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${body}"`;
}

/**
 * Parse JSON text as Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity` are
 * accepted, integers beyond `Number.MAX_SAFE_INTEGER` become `bigint`, the last duplicate key
 * wins, and raw control characters inside strings are rejected.
 *
 * @example
 * python_json_loads('{"n":18446744073709551616}'); // { n: 18446744073709551616n }
 */
export function python_json_loads(text: string): unknown {
  const parser = new Parser(text);
  parser.skipWs();
  const value = parser.value();
  parser.skipWs();
  if (parser.pos !== text.length) parser.fail("Extra data");
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const STRING_CHUNK = /[^"\\\u0000-\u001f]*/y;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.pos} while parsing JSON`);
  }

  skipWs(): void {
    while (" \t\n\r".includes(this.text[this.pos] ?? "x")) this.pos++;
  }

  value(): unknown {
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail("Expecting value");
    this.pos += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return Number(m[0]);
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  }

  object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail("Expecting property name enclosed in double quotes");
      const key = this.string();
      this.skipWs();
      if (this.text[this.pos] !== ":") this.fail("Expecting ':' delimiter");
      this.pos++;
      this.skipWs();
      defineEntry(out, key, this.value());
      this.skipWs();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail("Expecting ',' delimiter");
      this.skipWs();
    }
  }

  array(): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWs();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail("Expecting ',' delimiter");
      this.skipWs();
    }
  }

  string(): string {
    this.pos++;
    let out = "";
    for (;;) {
      STRING_CHUNK.lastIndex = this.pos;
      const chunk = STRING_CHUNK.exec(this.text)?.[0] ?? "";
      out += chunk;
      this.pos += chunk.length;
      const c = this.text[this.pos++];
      if (c === '"') return out;
      if (c !== "\\") this.fail(c === undefined ? "Unterminated string" : "Invalid control character");
      const e = this.text[this.pos++];
      if (e === "u") {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\uXXXX escape");
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else {
        const decoded = e === undefined ? undefined : UNESCAPES[e];
        if (decoded === undefined) this.fail("Invalid \\escape");
        out += decoded;
      }
    }
  }
}

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ["null", null], ["true", true], ["false", false],
  ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity],
];

const UNESCAPES: Record<string, string> = {
  '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t",
};
