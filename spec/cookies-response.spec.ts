// Cookies end to end through a real app: Response.set_cookie / delete_cookie produce the
// Set-Cookie headers real Flask 3.1 / Werkzeug 3.1 produced for the same calls (fixture
// "cookies" in spec/fixtures/request-data.json), after_this_request can set one before the
// response exists, and request.cookies reads cookies with or without cookie-parser upstream.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import cookieParser from "cookie-parser";
import supertest from "supertest";
import { Flask, after_this_request, flaskish, make_response, request } from "../lib/index.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";

type Call = ["set_cookie" | "delete_cookie", string, string | null, Record<string, unknown>];
const fixture = JSON.parse(readFileSync(new URL("./fixtures/request-data.json", import.meta.url), "utf8")) as {
  cookies: { calls: { call: Call; expected: string[] }[]; after_this_request: string[] };
};

function optionsOf(opts: Record<string, unknown>): Record<string, unknown> {
  const out = { ...opts };
  if (typeof out.expires === "number" && Number.isInteger(out.expires)) out.expires = new Date(out.expires * 1000);
  return out;
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`Response.set_cookie / delete_cookie through ${flavour.label} (Set-Cookie from real Flask 3.1)`, () => {
    fixture.cookies.calls.forEach(({ call, expected }, i) => {
      const [method, key, value, opts] = call;
      it(`${method}(${JSON.stringify(key)}, ${value === null ? "" : `${JSON.stringify(value)}, `}${JSON.stringify(opts)})`, async () => {
        const app = new Flask(import.meta.url, { static_folder: null });
        app.route(`/c${i}`, function view() {
          const resp = make_response("x");
          if (method === "set_cookie") resp.set_cookie(key, value!, optionsOf(opts));
          else resp.delete_cookie(key, optionsOf(opts));
          return resp;
        });
        const res = await supertest(flavour.create().use(flaskish(app))).get(`/c${i}`);
        expect(res.headers["set-cookie"]).to.deep.equal(expected);
      });
    });

    it("after_this_request sets a cookie before the response exists", async () => {
      const app = new Flask(import.meta.url, { static_folder: null });
      app.route("/after", function after() {
        after_this_request((response) => {
          response.set_cookie("later", "yes", { httponly: true });
          return response;
        });
        return "body";
      });
      const res = await supertest(flavour.create().use(flaskish(app))).get("/after");
      expect(res.headers["set-cookie"]).to.deep.equal(fixture.cookies.after_this_request);
    });

    describe("request.cookies", () => {
      function cookieApp(): Flask {
        const app = new Flask(import.meta.url, { static_folder: null });
        app.route("/read", function read() {
          return { cookies: request.cookies.items(true), username: request.cookies.get("username") ?? null, signed: request.signed_cookies.to_dict() };
        });
        return app;
      }
      const header = 'username=the%20user; q="a\\"b"; remember=s%3Aann.c2lnbmF0dXJl; username=second';

      it("parses the Cookie header as Werkzeug does, without cookie-parser", async () => {
        const res = await supertest(flavour.create().use(flaskish(cookieApp()))).get("/read").set("Cookie", header);
        expect(res.body).to.deep.equal({
          // A MultiDict groups a repeated name's values under its first position, as Werkzeug's does.
          cookies: [["username", "the%20user"], ["username", "second"], ["q", 'a"b'], ["remember", "s%3Aann.c2lnbmF0dXJl"]],
          username: "the%20user",
          signed: {},
        });
      });

      it("is the same with cookie-parser upstream; its verified signed cookies are in request.signed_cookies", async () => {
        const server = flavour.create();
        server.use(cookieParser("sekrit"));
        server.get("/sign", (_req, res) => { res.cookie("remember", "ann", { signed: true }).send("ok"); });
        server.use(flaskish(cookieApp()));
        const agent = supertest(server);
        const signed = (await agent.get("/sign")).headers["set-cookie"]![0]!.split(";")[0]!;
        const res = await agent.get("/read").set("Cookie", `${signed}; forged=s%3Aeve.bad; username=u`);
        expect(res.body.username).to.equal("u");
        expect(res.body.cookies[0]).to.deep.equal(signed.split("="));
        expect(res.body.signed).to.deep.equal({ remember: "ann" });
      });
    });
  });
}
