// Expected values in spec/fixtures/secure_filename.json came from real Werkzeug's
// secure_filename on Linux ("posix") and with os.name/os.sep/os.path.altsep patched to
// Windows' values ("nt"); see spec/fixtures/gen/secure_filename.py.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { secure_filename } from "../lib/secure-filename.js";

const cases = JSON.parse(readFileSync(new URL("./fixtures/secure_filename.json", import.meta.url), "utf8")) as Array<{
  input: string;
  posix: string;
  nt: string;
}>;

describe("secure_filename", () => {
  describe("on POSIX (expected values from real Werkzeug on Linux)", () => {
    for (const c of cases) {
      it(`${JSON.stringify(c.input)} -> ${JSON.stringify(c.posix)}`, () => {
        expect(secure_filename(c.input, "posix")).to.equal(c.posix);
      });
    }
  });

  describe("on Windows (expected values from Werkzeug with os.name patched to nt)", () => {
    for (const c of cases) {
      it(`${JSON.stringify(c.input)} -> ${JSON.stringify(c.nt)}`, () => {
        expect(secure_filename(c.input, "win32")).to.equal(c.nt);
      });
    }
  });

  it("follows the running platform when none is given", () => {
    const expected = process.platform === "win32" ? "_nul.txt" : "nul.txt";
    expect(secure_filename("nul.txt")).to.equal(expected);
  });

  it("holds the examples from Werkzeug's docstring", () => {
    expect(secure_filename("My cool movie.mov")).to.equal("My_cool_movie.mov");
    expect(secure_filename("../../../etc/passwd")).to.equal("etc_passwd");
    expect(secure_filename("i contain cool \xfcml\xe4uts.txt")).to.equal("i_contain_cool_umlauts.txt");
  });
});
