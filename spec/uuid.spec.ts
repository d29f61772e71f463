// Accepted spellings follow Python's uuid.UUID(hex) (checked against CPython 3.11).
import { expect } from "chai";
import { UUID } from "../lib/uuid.js";

describe("UUID", () => {
  it("accepts the spellings Python's uuid.UUID(hex) accepts", () => {
    for (const text of ["12345678-1234-5678-1234-567812345678", "{12345678123456781234567812345678}",
      "urn:uuid:12345678-1234-5678-1234-567812345678", "12345678123456781234567812345678".toUpperCase()]) {
      expect(new UUID(text).hex, text).to.equal("12345678123456781234567812345678");
    }
  });
  it("renders the dashed form from toString and JSON.stringify", () => {
    const id = new UUID("12345678123456781234567812345678");
    expect(String(id)).to.equal("12345678-1234-5678-1234-567812345678");
    expect(JSON.stringify({ id })).to.equal('{"id":"12345678-1234-5678-1234-567812345678"}');
    expect(id.equals(new UUID(String(id)))).to.equal(true);
  });
  it("rejects anything that is not 32 hex digits, saying what it expects", () => {
    expect(() => new UUID("1234")).to.throw(TypeError, /32 hex digits/);
    expect(() => new UUID("g2345678123456781234567812345678")).to.throw(TypeError, /badly formed/);
  });
});
