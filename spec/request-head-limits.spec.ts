// Python http.server's limits on a request head, as Werkzeug's development server applies them.
// Pages and boundaries come from Werkzeug's server over a socket (spec/fixtures/flask-dev-server.json,
// spec/fixtures/gen/flask_dev_server.py); spec/serving.spec.ts sends the same bytes to run_simple.

import fs from "node:fs";
import { expect } from "chai";
import { headRefusal, MAX_HEAD_SIZE, MAX_HEADERS, MAX_LINE, overflowRefusal, refusalBytes, refusalLogMessage, refusalResponse } from "../lib/request-head-limits.js";

const fixture = JSON.parse(fs.readFileSync(new URL("./fixtures/flask-dev-server.json", import.meta.url), "utf8")) as {
  cases: Record<string, { status_line: string; headers: [string, string][]; body: string; log: string[] }>;
};
const flask = (name: string) => fixture.cases[name]!;

const requestLineOf = (length: number) => ({ method: "GET", url: `/?x=${"a".repeat(length - "GET /?x= HTTP/1.1\r\n".length)}`, httpVersion: "1.1", rawHeaders: ["Host", "x"] });
const headerLineOf = (length: number) => ({ method: "GET", url: "/", httpVersion: "1.1", rawHeaders: ["Host", "x", "X-Long", "b".repeat(length - "X-Long: \r\n".length)] });
const headersOf = (count: number) => ({ method: "GET", url: "/", httpVersion: "1.1", rawHeaders: Array.from({ length: count }, (_, i) => [`X-H${i}`, "v"]).flat() });

describe("headRefusal", () => {
  it("lets through a request line of MAX_LINE bytes, CRLF included, and refuses one byte more with 414 (as Werkzeug)", () => {
    expect(headRefusal(requestLineOf(MAX_LINE))).to.equal(null);
    expect(headRefusal(requestLineOf(MAX_LINE + 1))?.code).to.equal(414);
    expect(flask("line_65536").status_line).to.equal("HTTP/1.1 200 OK");
    expect(flask("line_65537").status_line).to.equal("HTTP/1.1 414 Request-URI Too Long");
  });

  it("lets through a header line of MAX_LINE bytes and refuses one byte more with 431 'Line too long' (as Werkzeug)", () => {
    expect(headRefusal(headerLineOf(MAX_LINE))).to.equal(null);
    expect(headRefusal(headerLineOf(MAX_LINE + 1))).to.include({ code: 431, message: "Line too long" });
    expect(flask("header_65537").status_line).to.equal("HTTP/1.1 431 Line too long");
  });

  it("lets through 99 header lines and refuses 100: Python's limit of 100 lines counts the blank one (as Werkzeug)", () => {
    expect(MAX_HEADERS).to.equal(100);
    expect(headRefusal(headersOf(99))).to.equal(null);
    expect(headRefusal(headersOf(100))).to.include({ code: 431, message: "Too many headers" });
    expect(flask("headers_99").status_line).to.equal("HTTP/1.1 200 OK");
    expect(flask("headers_100").status_line).to.equal("HTTP/1.1 431 Too many headers");
  });

  it("checks the request line first, then each header line's length before counting it, as Python reads them (http.client.parse_headers: lines 100 and 101 too long are 'Line too long', 102 is 'Too many headers')", () => {
    const both = { ...requestLineOf(MAX_LINE + 1), rawHeaders: headerLineOf(MAX_LINE + 1).rawHeaders };
    expect(headRefusal(both)?.code).to.equal(414);
    const longAt100 = headersOf(100);
    longAt100.rawHeaders[199] = "v".repeat(MAX_LINE);
    expect(headRefusal(longAt100)?.message).to.equal("Line too long");
    const longAt101 = headersOf(101);
    longAt101.rawHeaders[201] = "v".repeat(MAX_LINE);
    expect(headRefusal(longAt101)?.message).to.equal("Line too long");
    const longAt102 = headersOf(102);
    longAt102.rawHeaders[203] = "v".repeat(MAX_LINE);
    expect(headRefusal(longAt102)?.message).to.equal("Too many headers");
  });
});

describe("MAX_HEAD_SIZE", () => {
  it("is above what Node counts (URL, names, values) for the longest request line and header line Python accepts, together", () => {
    const largestUrl = MAX_LINE - "A  HTTP/1.1\r\n".length;
    const largestHeader = MAX_LINE - ":\r\n".length;
    expect(MAX_HEAD_SIZE).to.be.greaterThan(largestUrl + largestHeader + (MAX_HEADERS - 2) * 100);
  });
});

describe("overflowRefusal", () => {
  it("takes one line longer than the packet for the request line (414), many lines for too many headers (431)", () => {
    expect(overflowRefusal(Buffer.from("aaaa"), 4).code).to.equal(414);
    expect(overflowRefusal(undefined, undefined).code).to.equal(414);
    expect(overflowRefusal(Buffer.from("v\r\nX-H: v\r\nX-H: v"), 12)).to.include({ code: 431, message: "Too many headers" });
    expect(overflowRefusal(Buffer.from("aaaa\r\n"), 3).code).to.equal(414);
  });
});

describe("refusalResponse", () => {
  for (const name of ["line_65537", "header_65537", "headers_100"]) {
    it(`${name}: Werkzeug's page and headers (Server left out), reason phrase and log message`, () => {
      const refusal = name === "line_65537" ? headRefusal(requestLineOf(MAX_LINE + 1))! : name === "header_65537" ? headRefusal(headerLineOf(MAX_LINE + 1))! : headRefusal(headersOf(100))!;
      const date = new Date(Date.UTC(2026, 10, 25, 13, 20, 28));
      const { reason, headers, body } = refusalResponse(refusal, date);
      expect(`HTTP/1.1 ${refusal.code} ${reason}`).to.equal(flask(name).status_line);
      expect(headers).to.deep.equal(flask(name).headers.filter(([n]) => n !== "Server").map(([n, v]) => [n, n === "Date" ? "Wed, 25 Nov 2026 13:20:28 GMT" : v]));
      expect(body.toString("utf8")).to.equal(flask(name).body);
      expect(flask(name).log[0]).to.equal(`{remote} - - [{date}] ${refusalLogMessage(refusal)}`);
      expect(refusalBytes(refusal, date).toString("latin1")).to.equal(`${flask(name).status_line}\r\n${headers.map(([n, v]) => `${n}: ${v}`).join("\r\n")}\r\n\r\n${flask(name).body}`);
    });
  }
});
