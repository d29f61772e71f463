// Expected lines and messages in spec/fixtures/python-logging.json come from real Python logging
// and Flask's default_handler (spec/fixtures/gen/python_logging.py).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import {
  adaptLogger, create_logger, CRITICAL, DEBUG, default_handler, DEFAULT_FORMAT, ERROR, exc_info, formatAsctime,
  getLevelName, INFO, Logger, NOTSET, WARNING, type LogRecord,
} from "../lib/logging.js";

interface MessageCase { format: string; args: unknown[]; message?: string; error?: string; error_message?: string }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/python-logging.json", import.meta.url), "utf8")) as {
  messages: MessageCase[];
  default_format: string;
  default_line: string;
  level_names: Record<string, string>;
};

// Local components, as the generator used: the line does not depend on the time zone.
const FIXED = new Date(2026, 10, 25, 10, 2, 3, 123);
const clock = (): Date => FIXED;

/** A stream that keeps what is written. */
function capture(): { write(chunk: string): boolean; chunks: string[]; text(): string } {
  const chunks: string[] = [];
  return { chunks, write: (chunk: string) => (chunks.push(chunk), true), text: () => chunks.join("") };
}

function fakeError(message: string, stack: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.stack = stack;
  return error;
}

describe("DEFAULT_FORMAT", () => {
  it("is Flask's default handler format", () => {
    expect(DEFAULT_FORMAT).to.equal(fixture.default_format);
  });
});

describe("Logger#warning", () => {
  it("writes Flask's default line, exactly as Python writes it", () => {
    const out = capture();
    const logger = new Logger("myapp", { handlers: [out], clock });
    logger.warning("A warning occurred (%d apples)", 42);
    expect(out.chunks).to.deep.equal([`${fixture.default_line}\n`]);
  });
});

describe("getLevelName()", () => {
  for (const [level, name] of Object.entries(fixture.level_names)) {
    it(`names level ${level} ${JSON.stringify(name)} as Python does`, () => {
      expect(getLevelName(Number(level))).to.equal(name);
    });
  }
});

describe("Logger message formatting (LogRecord.getMessage)", () => {
  for (const c of fixture.messages) {
    const title = `${JSON.stringify(c.format)} with ${JSON.stringify(c.args)}`;
    if (c.error === undefined) {
      it(`${title} logs ${JSON.stringify(c.message)} as Python does`, () => {
        const out = capture();
        new Logger("app", { handlers: [out], format: "%(message)s" }).error(c.format, ...c.args);
        expect(out.text()).to.equal(`${c.message}\n`);
      });
    } else {
      it(`${title} reports a logging error (${c.error}) and writes no line, as Python does`, () => {
        const out = capture();
        const errors = capture();
        new Logger("app", { handlers: [out], format: "%(message)s", errorStream: errors }).error(c.format, ...c.args);
        expect(out.chunks).to.deep.equal([]);
        expect(errors.text().split("\n").slice(0, 3)).to.deep.equal([
          "--- Logging error ---", `${c.error}: ${c.error_message}`, `Message: ${JSON.stringify(c.format).replace(/^"|"$/g, "'")}`,
        ]);
      });
    }
  }

  it("prints the arguments as a Python tuple in the logging error report", () => {
    const errors = capture();
    new Logger("app", { handlers: [], errorStream: errors }).error("bad %d", "a");
    expect(errors.text()).to.equal(
      "--- Logging error ---\nTypeError: %d format: a real number is required, not str\nMessage: 'bad %d'\nArguments: ('a',)\n",
    );
  });
});

describe("Logger levels", () => {
  it("has Python's level numbers", () => {
    expect([NOTSET, DEBUG, INFO, WARNING, ERROR, CRITICAL]).to.deep.equal([0, 10, 20, 30, 40, 50]);
  });

  it("defaults to NOTSET with WARNING as the effective level (Python's root level)", () => {
    const out = capture();
    const logger = new Logger("app", { handlers: [out], format: "%(levelname)s %(message)s" });
    expect(logger.level).to.equal(NOTSET);
    expect(logger.getEffectiveLevel()).to.equal(WARNING);
    logger.debug("d");
    logger.info("i");
    logger.warning("w");
    logger.error("e");
    logger.critical("c");
    logger.log(35, "custom");
    expect(out.text()).to.equal("WARNING w\nERROR e\nCRITICAL c\nLevel 35 custom\n");
  });

  it("setLevel accepts numbers and Python's level names", () => {
    const logger = new Logger("app");
    logger.setLevel("DEBUG");
    expect(logger.level).to.equal(DEBUG);
    logger.setLevel("WARN");
    expect(logger.level).to.equal(WARNING);
    logger.setLevel(25);
    expect(logger.getEffectiveLevel()).to.equal(25);
    expect(logger.isEnabledFor(INFO)).to.equal(false);
    expect(logger.isEnabledFor(WARNING)).to.equal(true);
  });

  it("setLevel rejects an unknown name like Python (names are case-sensitive)", () => {
    expect(() => new Logger("app").setLevel("debug")).to.throw(RangeError, /^Unknown level: 'debug'/);
  });

  it("log() rejects a level that is not an integer", () => {
    expect(() => new Logger("app").log("WARNING" as unknown as number, "x")).to.throw(TypeError, /level must be an integer/);
  });

  it("a disabled logger writes nothing", () => {
    const out = capture();
    const logger = new Logger("app", { handlers: [out] });
    logger.disabled = true;
    logger.critical("x");
    expect(out.chunks).to.deep.equal([]);
    expect(logger.isEnabledFor(CRITICAL)).to.equal(false);
  });
});

describe("Logger#addHandler / removeHandler", () => {
  it("adds a handler once and removes it", () => {
    const out = capture();
    const logger = new Logger("app", { format: "%(message)s" });
    logger.addHandler(out);
    logger.addHandler(out);
    logger.warning("once");
    logger.removeHandler(out);
    logger.warning("gone");
    expect(out.chunks).to.deep.equal(["once\n"]);
  });

  it("calls a function handler with the line (no newline) and the record", () => {
    const seen: [string, LogRecord][] = [];
    const logger = new Logger("svc", { handlers: [(line, record) => seen.push([line, record])], clock, module: "mod" });
    logger.error("%(n)d left", { n: 3 });
    expect(seen).to.have.length(1);
    const [line, record] = seen[0]!;
    expect(line).to.equal("[2026-11-25 10:02:03,123] ERROR in mod: 3 left");
    expect(record).to.include({ name: "svc", levelno: ERROR, levelname: "ERROR", msg: "%(n)d left", message: "3 left", module: "mod", msecs: 123 });
    expect(record.created).to.equal(FIXED.getTime() / 1000);
  });

  it("reports a failing handler and still runs the others", () => {
    const out = capture();
    const errors = capture();
    const failing = (): void => {
      throw fakeError("disk full", "Error: disk full\n    at write (disk.js:1:1)");
    };
    new Logger("app", { handlers: [failing, out], format: "%(message)s", errorStream: errors }).warning("hi %s", "there");
    expect(out.text()).to.equal("hi there\n");
    expect(errors.text()).to.equal(
      "--- Logging error ---\nError: disk full\n    at write (disk.js:1:1)\nMessage: 'hi %s'\nArguments: ('there',)\n",
    );
  });
});

describe("Logger#format", () => {
  it("accepts other record fields", () => {
    const out = capture();
    new Logger("svc", { handlers: [out], format: "%(name)s|%(levelno)d|%(levelname)-8s|%(message)s" }).warning("m");
    expect(out.text()).to.equal("svc|30|WARNING |m\n");
  });

  it("formats asctime from local time like Python's default (comma before milliseconds)", () => {
    expect(formatAsctime(new Date(2026, 0, 2, 3, 4, 5, 6))).to.equal("2026-01-02 03:04:05,006");
  });
});

describe("Logger#exception", () => {
  const STACK = "Error: boom\n    at view (app.js:10:5)";

  it("logs at ERROR and appends the stack of an Error passed last", () => {
    const out = capture();
    new Logger("myapp", { handlers: [out], clock }).exception("Failed for %s", "ann", fakeError("boom", STACK));
    expect(out.text()).to.equal(`[2026-11-25 10:02:03,123] ERROR in myapp: Failed for ann\n${STACK}\n`);
  });

  it("without an error ends with 'NoneType: None' as Python does outside an except block", () => {
    const out = capture();
    new Logger("app", { handlers: [out], format: "%(message)s" }).exception("nothing");
    expect(out.text()).to.equal("nothing\nNoneType: None\n");
  });

  it("prints the cause chain", () => {
    const out = capture();
    const cause = fakeError("root", "Error: root\n    at db (db.js:1:1)");
    new Logger("app", { handlers: [out], format: "%(message)s" }).exception("x", fakeError("boom", STACK, cause));
    expect(out.text()).to.equal(`x\n${STACK}\nCaused by: Error: root\n    at db (db.js:1:1)\n`);
  });
});

describe("exc_info()", () => {
  it("attaches a stack to any level, like Python's exc_info= keyword", () => {
    const out = capture();
    const logger = new Logger("app", { handlers: [out], format: "%(levelname)s %(message)s" });
    logger.critical("Exception on %s [%s]", "/x", "GET", exc_info(fakeError("boom", "Error: boom\n    at h (h.js:1:1)")));
    expect(out.text()).to.equal("CRITICAL Exception on /x [GET]\nError: boom\n    at h (h.js:1:1)\n");
  });

  it("prints a thrown non-Error value with util.inspect", () => {
    const out = capture();
    new Logger("app", { handlers: [out], format: "%(message)s" }).error("x", exc_info("just a string"));
    expect(out.text()).to.equal("x\n'just a string'\n");
  });
});

describe("create_logger()", () => {
  it("names the logger after the app and uses DEBUG when the app is in debug mode (Flask's rule)", () => {
    const out = capture();
    const logger = create_logger({ name: "myapp", debug: true }, { handlers: [out], clock });
    expect(logger.name).to.equal("myapp");
    expect(logger.level).to.equal(DEBUG);
    logger.debug("shown");
    expect(out.text()).to.equal("[2026-11-25 10:02:03,123] DEBUG in myapp: shown\n");
  });

  it("leaves the level NOTSET (effective WARNING) when not in debug mode", () => {
    const out = capture();
    const logger = create_logger({ name: "myapp", debug: false }, { handlers: [out] });
    expect(logger.level).to.equal(NOTSET);
    expect(logger.getEffectiveLevel()).to.equal(WARNING);
    logger.info("hidden");
    expect(out.chunks).to.deep.equal([]);
  });

  it("keeps a level that was set even in debug mode", () => {
    expect(create_logger({ name: "a", debug: true }, { level: "ERROR" }).level).to.equal(ERROR);
  });

  it("writes to stderr through default_handler by default", () => {
    const logger = create_logger({ name: "myapp", debug: false }, { clock });
    expect(logger.handlers).to.deep.equal([default_handler]);
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
    try {
      logger.error("to stderr");
    } finally {
      process.stderr.write = original;
    }
    expect(written).to.deep.equal(["[2026-11-25 10:02:03,123] ERROR in myapp: to stderr\n"]);
  });
});

describe("adaptLogger()", () => {
  class PinoLike {
    calls: [string, unknown[]][] = [];
    // Methods use `this`, as pino's do: the adapter must call them bound.
    debug(...args: unknown[]): void { this.calls.push(["debug", args]); }
    info(...args: unknown[]): void { this.calls.push(["info", args]); }
    warn(...args: unknown[]): void { this.calls.push(["warn", args]); }
    error(...args: unknown[]): void { this.calls.push(["error", args]); }
    fatal(...args: unknown[]): void { this.calls.push(["fatal", args]); }
  }

  it("maps Flask's names onto pino's and formats % arguments first", () => {
    const pino = new PinoLike();
    const logger = adaptLogger(pino);
    logger.debug("d %d", 1);
    logger.info("i");
    logger.warning("A warning occurred (%d apples)", 42);
    logger.error("e");
    logger.critical("c");
    logger.exception("failed", fakeError("boom", "Error: boom\n    at v (v.js:1:1)"));
    expect(pino.calls).to.deep.equal([
      ["debug", ["d 1"]], ["info", ["i"]], ["warn", ["A warning occurred (42 apples)"]], ["error", ["e"]], ["fatal", ["c"]],
      ["error", ["failed\nError: boom\n    at v (v.js:1:1)"]],
    ]);
  });

  it("prefers warning/critical when the external logger has them, and falls back to a more severe method", () => {
    const calls: string[] = [];
    const external = {
      warning: (m: unknown) => calls.push(`warning:${String(m)}`),
      error: (m: unknown) => calls.push(`error:${String(m)}`),
      critical: (m: unknown) => calls.push(`critical:${String(m)}`),
    };
    const logger = adaptLogger(external);
    logger.debug("d");
    logger.info("i");
    logger.warning("w");
    logger.critical("c");
    expect(calls).to.deep.equal(["warning:d", "warning:i", "warning:w", "critical:c"]);
  });

  it("sends criticals to error when there is no fatal or critical (winston)", () => {
    const calls: string[] = [];
    adaptLogger({ info: () => calls.push("info"), warn: () => calls.push("warn"), error: () => calls.push("error") }).critical("c");
    expect(calls).to.deep.equal(["error"]);
  });

  it("passes everything on until setLevel filters", () => {
    const pino = new PinoLike();
    const logger = adaptLogger(pino);
    expect(logger.getEffectiveLevel()).to.equal(NOTSET);
    logger.setLevel(WARNING);
    logger.info("dropped");
    logger.warning("kept");
    expect(pino.calls).to.deep.equal([["warn", ["kept"]]]);
  });

  it("rejects an object without logging methods", () => {
    expect(() => adaptLogger({} as never)).to.throw(TypeError, /at least one of debug, info/);
  });
});
