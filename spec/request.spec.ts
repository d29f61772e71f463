// Request attributes: expected values in spec/fixtures/request-data.json ("attrs") came from
// real Flask 3.1 / Werkzeug 3.1's test_request_context with the same headers and query; those in
// spec/fixtures/request-urls.json (the URL properties) from real Flask's test client
// (spec/fixtures/gen/request_urls.py).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { Flask, request, BadRequest, UnsupportedMediaType } from "../lib/index.js";
import { Authorization, parse_dict_header, parse_list_header, parse_options_header } from "../lib/http-parse.js";

interface AttrCase { headers?: Record<string, string>; query?: string; expected: Record<string, unknown> }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/request-data.json", import.meta.url), "utf8")) as { attrs: AttrCase[] };

interface UrlCase { url: string; host?: string; base_url?: string; status: number; json: Record<string, string> | null }
const urlCases = JSON.parse(readFileSync(new URL("./fixtures/request-urls.json", import.meta.url), "utf8")) as UrlCase[];

function app(): Flask {
  return new Flask(import.meta.url, { static_folder: null });
}

describe("Request attributes (expected values from real Flask 3.1 / Werkzeug 3.1)", () => {
  for (const c of fixture.attrs) {
    it(`headers ${JSON.stringify(c.headers ?? {})} query ${JSON.stringify(c.query ?? "")}`, () => {
      const ctx = app().test_request_context("/p", { headers: c.headers ?? {}, query_string: c.query ?? "" });
      ctx.request.environ.remote_addr = "9.9.9.9";
      // The adapter takes the host from the Host header; test_request_context takes base_url's.
      if (c.headers?.Host !== undefined) ctx.request.environ.host = c.headers.Host;
      ctx.run(() => {
        const auth = request.authorization;
        expect({
          mimetype: request.mimetype,
          mimetype_params: request.mimetype_params,
          content_type: request.content_type ?? null,
          content_length: request.content_length,
          is_json: request.is_json,
          access_route: request.access_route,
          remote_addr: request.remote_addr,
          authorization: auth === null ? null : { type: auth.type, username: auth.username, password: auth.password, token: auth.token, parameters: auth.parameters },
          user_agent: request.user_agent.string,
          host: request.host,
          args: request.args.items(true),
        }).to.deep.equal(c.expected);
      });
    });
  }
});

describe("Request.values", () => {
  it("is args then form, but args only for GET (Werkzeug 2.0+)", () => {
    const a = app();
    a.test_request_context("/?q=1&a=0", { method: "PUT", data: "a=1", content_type: "application/x-www-form-urlencoded" }).run(() => {
      expect(request.values.getlist("a")).to.deep.equal(["0", "1"]);
    });
    a.test_request_context("/?q=1", { method: "GET", data: "a=1", content_type: "application/x-www-form-urlencoded" }).run(() => {
      expect(request.values.to_dict()).to.deep.equal({ q: "1" });
      expect(request.form.to_dict()).to.deep.equal({ a: "1" });
    });
  });
});

describe("Request.get_json", () => {
  it("415 for a non-JSON content type, 400 for malformed JSON, null when silent", () => {
    app().test_request_context("/", { method: "POST", data: "{}", content_type: "text/plain" }).run(() => {
      expect(() => request.json).to.throw(UnsupportedMediaType);
      expect(request.get_json({ silent: true })).to.equal(null);
      expect(request.get_json({ force: true })).to.deep.equal({});
    });
    app().test_request_context("/", { method: "POST", data: "{", content_type: "application/json" }).run(() => {
      expect(() => request.get_json()).to.throw(BadRequest).with.property("description", BadRequest.description);
      expect(request.get_json({ silent: true })).to.equal(null);
    });
  });

  it("says why in debug mode, as Flask does", () => {
    const a = app();
    a.debug = true;
    a.test_request_context("/", { method: "POST", data: "{", content_type: "application/json" }).run(() => {
      expect(() => request.get_json()).to.throw(BadRequest, /Failed to decode JSON object: /);
    });
  });

  it("decodes UTF-16 bodies as Python's json.loads does, and caches the result", () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a": "\u00e9"}', "utf16le")]);
    app().test_request_context("/", { method: "POST", data: body, content_type: "application/json" }).run(() => {
      const first = request.get_json();
      expect(first).to.deep.equal({ a: "\u00e9" });
      expect(request.get_json()).to.equal(first);
    });
  });
});

describe("Request.get_data", () => {
  it("as_text decodes as UTF-8 with replacement; both call styles work", () => {
    app().test_request_context("/", { method: "POST", data: Buffer.from([0x68, 0xe9]), content_type: "text/plain" }).run(() => {
      expect(request.get_data(true)).to.equal("h\ufffd");
      expect(request.get_data({ as_text: true })).to.equal("h\ufffd");
      expect([...request.data]).to.deep.equal([0x68, 0xe9]);
    });
  });
});

describe("Request.host", () => {
  it("drops the scheme's default port and refuses characters no host has", () => {
    app().test_request_context("/", { base_url: "https://example.com:443/" }).run(() => expect(request.host).to.equal("example.com"));
    app().test_request_context("/", { base_url: "http://[::1]:8080/" }).run(() => expect(request.host).to.equal("[::1]:8080"));
  });
});

describe("header parsing helpers (werkzeug.http)", () => {
  it("parse_options_header handles quotes, escapes and RFC 2231 values", () => {
    expect(parse_options_header('form-data; name="a\\"b"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf')).to.deep.equal(["form-data", { name: 'a"b', filename: "r\u00e9sum\u00e9.pdf" }]);
    expect(parse_options_header("text/plain")).to.deep.equal(["text/plain", {}]);
    expect(parse_options_header('x; a*0="one"; a*1="two"')).to.deep.equal(["x", { a: "onetwo" }]);
  });

  it("parse_list_header and parse_dict_header", () => {
    expect(parse_list_header('a, "b, c", , d')).to.deep.equal(["a", "b, c", "d"]);
    expect(parse_list_header('a, "unclosed')).to.deep.equal([]);
    expect(parse_dict_header('a=b, c="d, e", f')).to.deep.equal({ a: "b", c: "d, e", f: null });
  });

  it("Authorization.from_header", () => {
    expect(Authorization.from_header(null)).to.equal(null);
    expect(Authorization.from_header("Bearer")?.token).to.equal("");
  });
});

describe("request.url, base_url, url_root, host_url, path, full_path (answers of real Flask's test client)", () => {
  // Werkzeug rebuilds the URL properties as IRIs: escapes of UTF-8 text decoded, reserved and
  // invalid ones kept, the host lower-cased and decoded from Punycode; path has one leading "/".
  const urls = app();
  urls.route("/", { defaults: { rest: "" } }, function show() {
    const { url, base_url, url_root, host_url, path, full_path, host } = request;
    return { url, base_url, url_root, host_url, path, full_path, host };
  });
  urls.add_url_rule("/<path:rest>", { endpoint: "show" });
  const client = urls.test_client();
  for (const c of urlCases) {
    it(`${c.url}${c.host ? ` (Host: ${c.host})` : ""}${c.base_url ? ` under ${c.base_url}` : ""}`, async () => {
      const response = await client.get(c.url, { ...(c.host ? { headers: { Host: c.host } } : {}), ...(c.base_url ? { base_url: c.base_url } : {}) });
      expect(response.status_code).to.equal(c.status);
      if (c.json !== null) expect(response.json).to.deep.equal(c.json);
    });
  }
});
