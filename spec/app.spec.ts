// The return-value table, error pages, strict slashes, automatic HEAD/OPTIONS and 405s,
// compared with what real Flask 3.1 answered for the same app (spec/fixtures/flask-responses.json,
// made by spec/fixtures/gen/flask_responses.py). Runs mounted in Express 5 and Express 4.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import request from "supertest";
import { flaskish, url_for } from "../lib/index.js";
import { EXPRESS_FLAVOURS } from "./support/express.js";
import { buildResponsesApp } from "./support/flask-app.js";

interface FlaskAnswer {
  method: string;
  path: string;
  status: number;
  status_text: string;
  headers: [string, string][];
  body: string;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/flask-responses.json", import.meta.url), "utf8")) as {
  responses: FlaskAnswer[];
  urls: Record<string, string>;
};

function normaliseAllow(value: string | undefined): string | undefined {
  return value?.split(", ").sort().join(", ");
}

for (const flavour of EXPRESS_FLAVOURS) {
  describe(`Flask app answers as real Flask does (${flavour.label})`, () => {
    const app = buildResponsesApp();
    app.logger.setLevel("CRITICAL"); // the 500 cases log on purpose
    const server = flavour.create().use(flaskish(app, { fallthrough: false, propagate_errors: false }));

    for (const answer of fixture.responses) {
      it(`${answer.method} ${answer.path} -> ${answer.status_text} (expected from real Flask)`, async () => {
        const res = await request(server)[answer.method.toLowerCase() as "get"](answer.path)
          .set("Host", "localhost")
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on("data", (c: Buffer) => chunks.push(c));
            r.on("end", () => cb(null, Buffer.concat(chunks)));
          });
        expect(res.status).to.equal(answer.status);
        expect(`${res.status} ${(res as unknown as { res: { statusMessage: string } }).res.statusMessage}`).to.equal(answer.status_text);
        for (const [key, value] of answer.headers) {
          const actual = res.headers[key.toLowerCase()] as string | undefined;
          if (key === "Allow") expect(normaliseAllow(actual)).to.equal(normaliseAllow(value));
          else expect(actual, key).to.equal(value);
        }
        if (!answer.headers.some(([k]) => k === "Content-Length")) {
          expect(res.headers["content-length"], "streamed responses have no Content-Length").to.equal(undefined);
        }
        const body = Buffer.isBuffer(res.body) ? res.body.toString("utf8") : "";
        expect(body).to.equal(answer.body);
      });
    }
  });
}

describe("url_for in test_request_context (expected values from real Flask)", () => {
  const app = buildResponsesApp();
  it("builds the same URLs", () => {
    app.test_request_context().run(() => {
      expect(url_for("index")).to.equal(fixture.urls.index);
      expect(url_for("index", { next: "/" })).to.equal(fixture.urls["login-next"]);
      expect(url_for("profile", { username: "John Doe" })).to.equal(fixture.urls.profile);
      expect(url_for("show_post", { post_id: 7, _external: true })).to.equal(fixture.urls.external);
      expect(url_for("index", { _anchor: "sec tion/1" })).to.equal(fixture.urls.anchor);
      expect(url_for("index", { a: [1, 2], b: "x y&z" })).to.equal(fixture.urls["query-list"]);
    });
  });
});
