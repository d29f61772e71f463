// The form parsers on their own: urlencoded bodies decoded with request.args' rules (strict
// UTF-8 first, as Werkzeug), and MultipartForm over busboy: streaming across any chunking,
// files written as they arrive, Flask's limits as 413s, malformed bodies, cleanup. Werkzeug's
// answers for whole requests are replayed in request-body.spec.ts; the limits below follow
// the same fixture (a field of exactly MAX_FORM_MEMORY_SIZE bytes passes, one more byte fails).
import { expect } from "chai";
import { MalformedForm, MultipartForm, parseUrlencoded, type FormLimits, type StreamFactory } from "../lib/form-parser.js";
import { RequestEntityTooLarge } from "../lib/http-exceptions.js";
import { SpooledTemporaryFile } from "../lib/spooled-file.js";

const TYPE = "multipart/form-data; boundary=XyZ";
const NO_LIMITS: FormLimits = { max_form_memory_size: null, max_form_parts: null };

function part(headers: string[], body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`--XyZ\r\n${headers.join("\r\n")}\r\n\r\n`, "latin1"), Buffer.from(body), Buffer.from("\r\n")]);
}
const field = (name: string, value: string | Buffer, extra: string[] = []): Buffer => part([`Content-Disposition: form-data; name="${name}"`, ...extra], value);
const upload = (name: string, filename: string, data: string | Buffer): Buffer =>
  part([`Content-Disposition: form-data; name="${name}"; filename="${filename}"`, "Content-Type: application/octet-stream"], data);
const body = (...parts: Buffer[]): Buffer => Buffer.concat([...parts, Buffer.from("--XyZ--\r\n")]);

/** A stream factory that spools past `max` bytes and remembers what it made. */
function recording(max = 1000): { factory: StreamFactory; made: SpooledTemporaryFile[] } {
  const made: SpooledTemporaryFile[] = [];
  return { made, factory: () => { const f = new SpooledTemporaryFile(max); made.push(f); return f; } };
}

function parse(data: Buffer, limits = NO_LIMITS, chunk = data.length): MultipartForm {
  const form = new MultipartForm(TYPE, limits);
  for (let i = 0; i < data.length; i += chunk) form.write(data.subarray(i, i + chunk));
  form.finish();
  return form;
}

const summary = (form: MultipartForm): unknown => ({
  fields: form.fields,
  files: form.files.map(([k, f]) => [k, f.filename, f.mimetype, f.read().toString("latin1")]),
});

describe("parseUrlencoded", () => {
  it("decodes pairs like request.args: + is a space, blanks kept, invalid escapes re-quoted", () => {
    expect(parseUrlencoded(Buffer.from("a=1&a=2&&k&x+y=1+2&p=%ff&q=%C3%A9&r=%zz"))).to.deep.equal([
      ["a", "1"], ["a", "2"], ["k", ""], ["x y", "1 2"], ["p", "%FF"], ["q", "é"], ["r", "%zz"],
    ]);
  });

  it("reads raw UTF-8 text, and refuses bytes that are not UTF-8 (Werkzeug: an empty form)", () => {
    expect(parseUrlencoded(Buffer.from("name=Jürgen&city=東京"))).to.deep.equal([["name", "Jürgen"], ["city", "東京"]]);
    expect(() => parseUrlencoded(Buffer.from([0x61, 0x3d, 0xe9]))).to.throw(MalformedForm);
  });
});

describe("MultipartForm", () => {
  const sample = body(field("a", "1"), upload("f", "dir/x.bin", "0123456789".repeat(50)), field("b", "é"), upload("g", "", ""));
  const expected = {
    fields: [["a", "1"], ["b", "é"]],
    files: [["f", "dir/x.bin", "application/octet-stream", "0123456789".repeat(50)], ["g", "", "application/octet-stream", ""]],
  };

  it("parses fields and files, keeping the filename as sent and an empty file input's \"\"", () => {
    expect(summary(parse(sample))).to.deep.equal(expected);
  });

  // Real Flask 3.1 reads name="a%22b" as the field a"b and filename="a%22b.txt" as a"b.txt (browsers send " as %22).
  it("reads %22 in a part's name and filename as the quote browsers escape it from", () => {
    expect(summary(parse(body(field("a%22b", "1"), upload("f%22", "a%22b.txt", "x"))))).to.deep.equal({ fields: [['a"b', "1"]], files: [['f"', 'a"b.txt', "application/octet-stream", "x"]] });
  });

  for (const chunk of [1, 2, 7, 64]) {
    it(`gives the same result when the body arrives in ${chunk}-byte chunks`, () => {
      expect(summary(parse(sample, NO_LIMITS, chunk))).to.deep.equal(expected);
    });
  }

  it("writes file data into its container as it arrives, spooling to disk past the threshold", () => {
    const { factory, made } = recording(100);
    const form = new MultipartForm(TYPE, NO_LIMITS, factory);
    form.write(Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="f"; filename="big"\r\n\r\n'));
    form.write(Buffer.alloc(300, 0x61));
    expect(made).to.have.length(1);
    expect(made[0]!.size).to.be.greaterThan(200);
    expect(made[0]!.rolled).to.equal(true);
    form.write(Buffer.from("\r\n--XyZ--\r\n"));
    form.finish();
    expect(form.files[0]![1].read().toString()).to.equal("a".repeat(300));
    form.discard();
  });

  describe("max_form_memory_size", () => {
    const limits: FormLimits = { max_form_memory_size: 100, max_form_parts: null };
    it("accepts a field of exactly the limit", () => {
      expect(parse(body(field("a", "x".repeat(100))), limits).fields).to.deep.equal([["a", "x".repeat(100)]]);
    });

    it("refuses a field one byte over it with RequestEntityTooLarge", () => {
      expect(() => parse(body(field("a", "x".repeat(101))), limits)).to.throw(RequestEntityTooLarge);
    });

    it("does not apply to files", () => {
      expect(parse(body(upload("f", "f", "x".repeat(1000))), limits).files).to.have.length(1);
    });
  });

  describe("max_form_parts", () => {
    const limits: FormLimits = { max_form_memory_size: null, max_form_parts: 2 };
    it("accepts exactly that many parts", () => {
      expect(summary(parse(body(field("a", "1"), upload("f", "f", "2")), limits))).to.deep.equal({ fields: [["a", "1"]], files: [["f", "f", "application/octet-stream", "2"]] });
    });

    it("refuses one more part with RequestEntityTooLarge", () => {
      expect(() => parse(body(field("a", "1"), field("b", "2"), upload("f", "f", "3")), limits)).to.throw(RequestEntityTooLarge);
    });
  });

  describe("malformed bodies (MalformedForm: request-body.ts turns it into an empty form)", () => {
    it("a Content-Type without a boundary", () => {
      expect(() => new MultipartForm("multipart/form-data", NO_LIMITS)).to.throw(MalformedForm);
    });

    it("a body that ends before its closing boundary, from finish() and from finished()", async () => {
      const cut = Buffer.concat([field("a", "1"), upload("f", "f.txt", "partial")]);
      expect(() => parse(cut)).to.throw(MalformedForm, /Unexpected end of form/);
      const form = new MultipartForm(TYPE, NO_LIMITS);
      form.write(cut);
      let failure: unknown;
      await form.finished().catch((error: unknown) => { failure = error; });
      expect(failure).to.be.instanceOf(MalformedForm);
      form.discard();
    });

    it("text without any boundary", () => {
      expect(() => parse(Buffer.from("this is not multipart at all"))).to.throw(MalformedForm);
    });
  });

  it("decodes fields as UTF-8 (invalid bytes replaced) or in a declared latin-1 charset", () => {
    const form = parse(body(field("u", Buffer.from([0xe9, 0x74, 0xe9])), field("l", Buffer.from([0xe9]), ["Content-Type: text/plain; charset=iso-8859-1"])));
    expect(form.fields).to.deep.equal([["u", "\ufffdt\ufffd"], ["l", "é"]]);
  });

  it("answers \"\" for a field in a charset busboy cannot decode (see KNOWN_DIFFERENCES in request-body.spec.ts)", () => {
    expect(parse(body(field("k", Buffer.from([0xe9]), ["Content-Type: text/plain; charset=koi8-r"]))).fields).to.deep.equal([["k", ""]]);
  });

  it("finished() resolves once busboy has settled, with every file rewound", async () => {
    const form = new MultipartForm(TYPE, NO_LIMITS);
    form.write(sample);
    await form.finished();
    expect(summary(form)).to.deep.equal(expected);
  });

  it("discard() closes every container made so far, the half-written one too", () => {
    const { factory, made } = recording();
    const form = new MultipartForm(TYPE, NO_LIMITS, factory);
    form.write(Buffer.concat([upload("a", "a", "done"), Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="b"; filename="b"\r\n\r\nhalf')]));
    form.discard();
    expect(made.map((f) => f.closed)).to.deep.equal([true, true]);
  });
});
