// steadyShape (lib/steady-shape.ts): req and res whose prototype Express replaced get one
// hidden class per kind instead of one per request; their properties keep values and attributes. The
// V8 side is checked in a child process with --allow-natives-syntax (spec/support/shape-probe.ts).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { steadyShape } from "../lib/steady-shape.js";

const probe = fileURLToPath(new URL("./support/shape-probe.ts", import.meta.url));

class Made {
  first = 1;
  sendDate = true;
  last = "x";
}

const swappedMade = (): Made => Object.setPrototypeOf(new Made(), Object.create(Made.prototype)) as Made;

describe("steadyShape", () => {
  it("re-defines the key of an object whose prototype was replaced: same value and attributes, listed last", () => {
    const swapped = swappedMade();
    swapped.sendDate = false;
    steadyShape(swapped, "sendDate");
    expect(Object.keys(swapped)).to.deep.equal(["first", "last", "sendDate"]);
    expect(Object.getOwnPropertyDescriptor(swapped, "sendDate")).to.deep.equal({ value: false, writable: true, enumerable: true, configurable: true });
  });

  it("keeps a hidden or read-only key hidden and read-only", () => {
    const swapped = swappedMade();
    Object.defineProperty(swapped, "sendDate", { value: 7, writable: false, enumerable: false });
    steadyShape(swapped, "sendDate");
    expect(Object.getOwnPropertyNames(swapped)).to.deep.equal(["first", "last", "sendDate"]);
    expect(Object.getOwnPropertyDescriptor(swapped, "sendDate")).to.deep.equal({ value: 7, writable: false, enumerable: false, configurable: true });
  });

  it("leaves objects that keep their constructor's prototype, subclass instances included", () => {
    class Sub extends Made {}
    for (const object of [new Made(), new Sub()]) {
      steadyShape(object, "sendDate");
      expect(Object.keys(object)).to.deep.equal(["first", "sendDate", "last"]);
    }
  });

  it("adds nothing when the key is not the object's own", () => {
    const swapped = Object.setPrototypeOf({ a: 1 }, { sendDate: false }) as { a: number; sendDate?: boolean };
    steadyShape(swapped, "sendDate");
    expect(Object.hasOwn(swapped, "sendDate")).to.equal(false);
    expect(swapped.sendDate).to.equal(false);
  });

  it("leaves a key it cannot re-define: non-configurable, an accessor, or on an object that cannot grow", () => {
    const fixed = swappedMade();
    Object.defineProperty(fixed, "sendDate", { configurable: false });
    const seen: unknown[] = [];
    const accessor = swappedMade();
    Object.defineProperty(accessor, "sendDate", { get: () => "got", set: (value) => seen.push(value), enumerable: true, configurable: true });
    const closed = Object.preventExtensions(swappedMade());
    for (const object of [fixed, accessor, closed]) {
      expect(() => steadyShape(object, "sendDate")).not.to.throw();
      expect(Object.keys(object)).to.deep.equal(["first", "sendDate", "last"]);
    }
    expect(Object.getOwnPropertyDescriptor(fixed, "sendDate")).to.include({ value: true, configurable: false });
    accessor.sendDate = false;
    expect([accessor.sendDate, seen]).to.deep.equal(["got", [false]]);
    expect(closed.sendDate).to.equal(true);
  });
});

describe("hidden classes of answered requests (fresh process, V8 natives)", function () {
  this.timeout(60_000);
  let seen: Record<string, Record<string, unknown>>;
  before(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--allow-natives-syntax", "--import", "tsx", probe], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      timeout: 60_000,
    });
    seen = JSON.parse(stdout.trim().split("\n").at(-1)!);
  });

  for (const kind of ["flaskish in Express 5", "flaskish in Express 4"]) {
    it(`${kind}: the answered req and res share their hidden classes, res.sendDate as it was`, () => {
      expect(seen[kind]).to.deep.include({ bodies: ["Post 7"], answered: 18, resFast: false });
      // One class each: 2 leaves room for a response V8 was still settling (18 without steadyShape).
      expect(seen[kind]!.resClasses).to.be.at.most(2);
      expect(seen[kind]!.reqClasses).to.be.at.most(2);
      expect(seen[kind]!.sendDate).to.deep.equal(Array(18).fill({ value: true, writable: true, enumerable: true, configurable: true }));
    });
  }

  it("a raw handler in Express 5: each response has a hidden class of its own (what steadyShape avoids)", () => {
    const raw = seen["raw handler in Express 5"]!;
    expect(raw).to.deep.include({ bodies: ["Post 7"], answered: 18 });
    // If this fails, Node's V8 no longer gives these objects a class each: steadyShape may be unneeded.
    expect(raw.resClasses, "distinct classes of 18 responses").to.be.above(9);
    expect(raw.reqClasses, "distinct classes of 18 requests").to.be.above(9);
  });

  it("flaskish on bare node:http leaves req and res as Node made them (fast properties)", () => {
    expect(seen["flaskish on node:http"]).to.deep.include({ bodies: ["Post 7"], answered: 18, resClasses: 1, reqClasses: 1, resFast: true });
  });
});
