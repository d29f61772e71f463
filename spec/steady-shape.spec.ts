// steadyShape (lib/steady-shape.ts): req and res whose prototype Express replaced get one
// hidden class per kind instead of one per request, and nothing else about them changes. The
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

describe("steadyShape", () => {
  it("re-adds the key of an object whose prototype was replaced: same value and attributes, listed last", () => {
    const swapped = Object.setPrototypeOf(new Made(), Object.create(Made.prototype)) as Made;
    steadyShape(swapped, "sendDate");
    expect(Object.keys(swapped)).to.deep.equal(["first", "last", "sendDate"]);
    expect(swapped.sendDate).to.equal(true);
    expect(Object.getOwnPropertyDescriptor(swapped, "sendDate")).to.deep.equal({ value: true, writable: true, enumerable: true, configurable: true });
  });

  it("leaves objects that keep the prototype they were made with, subclass instances included", () => {
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

  it("leaves a key it cannot delete as it was", () => {
    const swapped = Object.setPrototypeOf({}, Object.create(Made.prototype)) as { sendDate?: boolean };
    Object.defineProperty(swapped, "sendDate", { value: true, enumerable: true });
    steadyShape(swapped, "sendDate");
    expect(Object.getOwnPropertyDescriptor(swapped, "sendDate")).to.deep.equal({ value: true, writable: false, enumerable: true, configurable: false });
  });
});

describe("hidden classes of answered requests (fresh process, V8 natives)", function () {
  this.timeout(60_000);
  let seen: Record<string, Record<string, unknown>>;
  before(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--allow-natives-syntax", "--import", "tsx", probe], { timeout: 60_000 });
    seen = JSON.parse(stdout.trim().split("\n").at(-1)!);
  });

  for (const kind of ["flaskish in Express 5", "flaskish in Express 4"]) {
    it(`${kind}: the answered req and res share their hidden classes, their values unchanged`, () => {
      expect(seen[kind]).to.deep.include({ bodies: ["Post 7"], answered: 18, resFast: false });
      // One class each, or a few when a full GC cleared V8's cache of dictionary-mode classes.
      expect(seen[kind]!.resClasses).to.be.at.most(3);
      expect(seen[kind]!.reqClasses).to.be.at.most(3);
      expect(seen[kind]!.sendDate).to.deep.equal(Array(18).fill(true));
      expect(seen[kind]!.complete).to.deep.equal(Array(18).fill(true));
    });
  }

  it("a raw handler in Express 5: each response has a hidden class of its own (what steadyShape avoids)", () => {
    expect(seen["raw handler in Express 5"]).to.deep.include({ bodies: ["Post 7"], answered: 18, resClasses: 18, reqClasses: 18 });
  });

  it("flaskish on bare node:http leaves req and res as Node made them (fast properties)", () => {
    expect(seen["flaskish on node:http"]).to.deep.include({ bodies: ["Post 7"], answered: 18, resClasses: 1, reqClasses: 1, resFast: true });
  });
});
