// drive(): synchronous while a stage yields plain values, asynchronous from the first promise.
import { expect } from "chai";
import { drive, type Stage } from "../lib/coroutine.js";

describe("drive", () => {
  it("returns the result synchronously when nothing yielded is a promise", () => {
    function* stage(): Stage<number> {
      const a = (yield 1) as number;
      const b = (yield 2) as number;
      return a + b;
    }
    expect(drive(stage())).to.equal(3);
  });

  it("awaits yielded promises and returns a promise from the first one on", async () => {
    function* stage(): Stage<number> {
      const a = (yield 1) as number;
      const b = (yield Promise.resolve(2)) as number;
      const c = (yield 3) as number;
      return a + b + c;
    }
    const result = drive(stage());
    expect(result).to.be.instanceOf(Promise);
    expect(await result).to.equal(6);
  });

  it("throws a rejection into the stage, where try/catch/finally see it", async () => {
    const log: string[] = [];
    function* stage(): Stage<string> {
      try {
        yield Promise.reject(new Error("nope"));
        return "unreachable";
      } catch (error) {
        log.push(`caught ${(error as Error).message}`);
        return "recovered";
      } finally {
        log.push("finally");
        yield Promise.resolve();
      }
    }
    expect(await drive(stage())).to.equal("recovered");
    expect(log).to.deep.equal(["caught nope", "finally"]);
  });

  it("throws synchronously what a synchronous stage throws", () => {
    function* stage(): Stage<never> {
      yield 1;
      throw new Error("sync failure");
    }
    expect(() => drive(stage())).to.throw("sync failure");
  });

  it("rejects with what the stage throws after a promise", async () => {
    function* stage(): Stage<never> {
      yield Promise.resolve();
      throw new Error("late failure");
    }
    let caught: unknown;
    await (drive(stage()) as Promise<never>).catch((e: unknown) => { caught = e; });
    expect((caught as Error).message).to.equal("late failure");
  });

  it("sends generator objects back untouched (a view may return one to stream)", () => {
    const body = (function* () { yield "a"; })();
    function* stage(): Stage<unknown> {
      return yield body;
    }
    expect(drive(stage())).to.equal(body);
  });

  it("runs every step after an await through the runner it is given, and none before", async () => {
    const log: string[] = [];
    let inside = false;
    const runner = {
      step<R>(fn: () => R): R {
        inside = true;
        try {
          return fn();
        } finally {
          inside = false;
        }
      },
    };
    function* stage(): Stage<number> {
      log.push(`start inside=${inside}`);
      const a = (yield Promise.resolve(1)) as number;
      log.push(`after first inside=${inside}`);
      const b = (yield 2) as number;
      const c = (yield Promise.resolve(3)) as number;
      log.push(`after second inside=${inside}`);
      return a + b + c;
    }
    expect(await drive(stage(), runner)).to.equal(6);
    expect(log).to.deep.equal(["start inside=false", "after first inside=true", "after second inside=true"]);
  });
});
