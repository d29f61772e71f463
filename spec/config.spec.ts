// Expected values in spec/fixtures/flask-default-config.json and flask-config-behaviour.json come
// from real Flask 3.1 (spec/fixtures/gen/flask_default_config.py, flask_config_behaviour.py).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { expect } from "chai";
import { Config, defaultConfig, type ConfigMapping } from "../lib/config.js";
import { Flask } from "../lib/index.js";

const readJson = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const flaskDefaults = readJson("flask-default-config.json") as Record<string, unknown>;
const behaviour = readJson("flask-config-behaviour.json") as {
  from_prefixed_env: { env: Record<string, string>; prefix: string | null; start: Record<string, unknown>; result: Record<string, unknown> }[];
  from_mapping: { mapping: Record<string, unknown> | null; kwargs: Record<string, unknown>; returned: boolean; result: Record<string, unknown> }[];
  get_namespace: { namespace: string; options: { lowercase?: boolean; trim_namespace?: boolean }; result: Record<string, unknown> }[];
  from_file_settings_json: Record<string, unknown>;
};
const SAMPLES = fileURLToPath(new URL("./fixtures/config/", import.meta.url));

const make = (defaults?: Record<string, unknown>): ConfigMapping => new Config(SAMPLES, defaults) as ConfigMapping;

/** Asserts equal content and equal key order (Python dicts keep insertion order). */
function expectSameDict(actual: object, expected: object): void {
  expect({ ...actual }).to.deep.equal(expected);
  expect(Object.keys(actual)).to.deep.equal(Object.keys(expected));
}

describe("defaultConfig()", () => {
  it("has exactly the keys, values and order of flask.Flask(__name__).config", () => {
    expectSameDict(defaultConfig(), flaskDefaults);
  });

  it("keeps PERMANENT_SESSION_LIFETIME in seconds (Flask: timedelta(days=31))", () => {
    expect(defaultConfig().PERMANENT_SESSION_LIFETIME).to.equal(2678400);
  });

  it("returns a fresh object each time", () => {
    const a = defaultConfig();
    a.DEBUG = true;
    expect(defaultConfig().DEBUG).to.equal(false);
  });
});

describe("new Config()", () => {
  it("holds the keys as own enumerable properties and nothing else", () => {
    const config = make(defaultConfig());
    expect(Object.keys(config)).to.deep.equal(Object.keys(flaskDefaults));
    expect({ ...config }).to.deep.equal(flaskDefaults);
    expect(JSON.parse(JSON.stringify(config))).to.deep.equal(flaskDefaults);
  });

  it("reads and writes keys like a plain object", () => {
    const config = make(defaultConfig());
    config.SECRET_KEY = "x";
    config["MY_SETTING"] = 1;
    expect(config["SECRET_KEY"]).to.equal("x");
    expect(config.MY_SETTING).to.equal(1);
    delete config["MY_SETTING"];
    expect(config.has("MY_SETTING")).to.equal(false);
  });

  it("starts empty without defaults and copies the defaults it is given", () => {
    expect(Object.keys(make())).to.deep.equal([]);
    const defaults = { A: 1 };
    const config = make(defaults);
    config.A = 2;
    expect(defaults.A).to.equal(1);
  });

  it("keeps root_path out of the keys", () => {
    const config = make({ A: 1 });
    expect(config.root_path).to.equal(SAMPLES);
    expect(Object.keys(config)).to.deep.equal(["A"]);
  });

  it("shows as <Config {...}> in util.inspect, like Flask's repr", () => {
    expect(inspect(make({ DEBUG: false, NAME: "x" }))).to.equal("<Config { DEBUG: false, NAME: 'x' }>");
  });
});

describe("Config#get / has / setdefault / update", () => {
  it("get returns the value or the default, and a stored undefined counts as present", () => {
    const config = make({ A: 1, U: undefined });
    expect(config.get("A")).to.equal(1);
    expect(config.get("B")).to.equal(undefined);
    expect(config.get("B", 5)).to.equal(5);
    expect(config.get("U", 5)).to.equal(undefined);
    expect(config.has("U")).to.equal(true);
    expect(config.has("get")).to.equal(false);
  });

  it("setdefault sets only an absent key and returns what is stored", () => {
    const config = make({ A: 1 });
    expect(config.setdefault("A", 2)).to.equal(1);
    expect(config.setdefault("B", 3)).to.equal(3);
    expect({ ...config }).to.deep.equal({ A: 1, B: 3 });
  });

  it("update takes every key, whatever its case, from objects, Maps, pairs and kwargs", () => {
    const config = make();
    config.update({ a: 1 }, { K: 2 });
    config.update(new Map([["B", 3]]));
    config.update([["c", 4]]);
    expectSameDict(config, { a: 1, K: 2, B: 3, c: 4 });
  });
});

describe("Config#from_mapping", () => {
  for (const c of behaviour.from_mapping) {
    it(`keeps only UPPERCASE keys of ${JSON.stringify(c.mapping)} + ${JSON.stringify(c.kwargs)}, as Flask does`, () => {
      const config = make();
      expect(config.from_mapping(c.mapping, c.kwargs)).to.equal(c.returned);
      expect({ ...config }).to.deep.equal(c.result);
    });
  }
});

describe("Config#from_object", () => {
  it("takes the UPPERCASE exports of a module namespace", async () => {
    const config = make();
    config.from_object(await import("./fixtures/config/settings-module.js"));
    expectSameDict(config, { DEBUG: true, SECRET_KEY: "from-module" });
  });

  it("takes static fields of a class, inherited ones included", () => {
    class Base {
      static DEBUG = false;
      static DATABASE_URI = "sqlite://:memory:";
      static helper = "ignored";
    }
    class Production extends Base {
      static override DEBUG = true;
    }
    const config = make();
    config.from_object(Production);
    expectSameDict(config, { DATABASE_URI: "sqlite://:memory:", DEBUG: true });
  });

  it("takes instance fields and prototype getters of an object", () => {
    class Settings {
      SERVER = "db.local";
      lower = 1;
      get DATABASE_URI(): string {
        return `mysql://user@${this.SERVER}/foo`;
      }
    }
    const config = make();
    config.from_object(new Settings());
    expectSameDict(config, { DATABASE_URI: "mysql://user@db.local/foo", SERVER: "db.local" });
  });

  it("rejects an import string and says to import the module", () => {
    expect(() => make().from_object("./settings.js" as unknown as object)).to.throw(TypeError, /await import\("\.\/settings\.js"\)/);
  });
});

describe("Config#from_file", () => {
  it("reads JSON relative to root_path and keeps UPPERCASE keys, as Flask's from_file(json.load) does", () => {
    const config = make();
    expect(config.from_file("settings.json")).to.equal(true);
    expectSameDict(config, behaviour.from_file_settings_json);
  });

  it("accepts an absolute path and a custom load function", () => {
    const config = make();
    const parseEnv = (text: string): Record<string, string> =>
      Object.fromEntries(text.trim().split("\n").map((line) => line.split("=") as [string, string]));
    config.from_file(`${SAMPLES}settings.env`, parseEnv);
    expectSameDict(config, { SECRET_KEY: "from-env-file", TESTING: "yes" });
  });

  it("hands load a Buffer when text is false", () => {
    let received: unknown;
    make().from_file("settings.json", (bytes: Buffer) => ((received = bytes), {}), { text: false });
    expect(Buffer.isBuffer(received)).to.equal(true);
  });

  it("returns false for a missing file or a directory when silent", () => {
    const config = make({ A: 1 });
    expect(config.from_file("missing.json", JSON.parse, { silent: true })).to.equal(false);
    expect(config.from_file(".", JSON.parse, { silent: true })).to.equal(false);
    expect({ ...config }).to.deep.equal({ A: 1 });
  });

  it("throws Flask's message with the full path for a missing file", () => {
    expect(() => make().from_file("missing.json"))
      .to.throw(Error, `Unable to load configuration file (No such file or directory): '${SAMPLES}missing.json'`)
      .with.property("code", "ENOENT");
  });

  it("throws with the parse error as cause for bad JSON", () => {
    expect(() => make().from_file("broken.json"))
      .to.throw(Error, /^Unable to parse configuration file '.*broken\.json': /)
      .with.property("cause").that.is.instanceOf(SyntaxError);
  });

  it("rejects a file that does not hold an object", () => {
    expect(() => make().from_file("not-a-mapping.json")).to.throw(TypeError, /must hold an object of keys, got an array/);
    expect(() => make().from_file("settings.json", () => 42)).to.throw(TypeError, /must hold an object of keys, got number/);
  });
});

describe("Config#from_envvar", () => {
  it("loads the JSON file the variable names", () => {
    const config = make();
    expect(config.from_envvar("APP_SETTINGS", false, { APP_SETTINGS: "settings.json" })).to.equal(true);
    expectSameDict(config, behaviour.from_file_settings_json);
  });

  it("throws Flask's message when the variable is unset or empty", () => {
    const message =
      "The environment variable 'APP_SETTINGS' is not set and as such configuration could not be loaded. " +
      "Set this variable and make it point to a configuration file";
    expect(() => make().from_envvar("APP_SETTINGS", false, {})).to.throw(Error, message);
    expect(() => make().from_envvar("APP_SETTINGS", false, { APP_SETTINGS: "" })).to.throw(Error, message);
  });

  it("returns false when silent and the variable or the file is missing", () => {
    expect(make().from_envvar("APP_SETTINGS", true, {})).to.equal(false);
    expect(make().from_envvar("APP_SETTINGS", true, { APP_SETTINGS: "missing.json" })).to.equal(false);
  });

  it("reads process.env by default", () => {
    process.env["FLASKISH_SPEC_SETTINGS"] = "settings.json";
    try {
      const config = make();
      config.from_envvar("FLASKISH_SPEC_SETTINGS");
      expect(config.SECRET_KEY).to.equal("config-file-secret");
    } finally {
      delete process.env["FLASKISH_SPEC_SETTINGS"];
    }
  });

  it("points module files to from_object(await import(...))", () => {
    expect(() => make().from_envvar("S", false, { S: "settings.mjs" })).to.throw(TypeError, /from_object\(await import\(process\.env\.S\)\)/);
  });
});

describe("Config#from_prefixed_env", () => {
  for (const c of behaviour.from_prefixed_env) {
    it(`loads ${Object.keys(c.env).join(", ")} with prefix ${c.prefix ?? "FLASK"} as Flask does`, () => {
      const config = make(structuredClone(c.start));
      const rv = c.prefix === null ? config.from_prefixed_env(undefined, { env: c.env }) : config.from_prefixed_env(c.prefix, { env: c.env });
      expect(rv).to.equal(true);
      expectSameDict(config, c.result);
      for (const [key, value] of Object.entries(c.result)) {
        if (value && typeof value === "object" && !Array.isArray(value)) expect(Object.keys(config[key])).to.deep.equal(Object.keys(value));
      }
    });
  }

  it("uses a custom loads and keeps the string when it throws", () => {
    const config = make();
    const loads = (v: string): unknown => {
      if (v === "bad") throw new Error("no");
      return v.toUpperCase();
    };
    config.from_prefixed_env("MY", { loads, env: { MY_A: "x", MY_B: "bad" } });
    expectSameDict(config, { A: "X", B: "bad" });
  });

  it("reads process.env by default", () => {
    process.env["FLASKISH_SPEC_PORT"] = "8080";
    try {
      const config = make();
      config.from_prefixed_env("FLASKISH_SPEC");
      expectSameDict(config, { PORT: 8080 });
    } finally {
      delete process.env["FLASKISH_SPEC_PORT"];
    }
  });

  it("says which variable failed when an intermediate key is not an object", () => {
    expect(() => make({ A: "text" }).from_prefixed_env("FLASK", { env: { FLASK_A__B: "1" } }))
      .to.throw(TypeError, "FLASK_A__B: cannot set 'B' inside 'A', which is 'text', not an object.");
  });
});

describe("Config#get_namespace", () => {
  const base = {
    IMAGE_STORE_TYPE: "fs", IMAGE_STORE_PATH: "/var/app/images", IMAGE_STORE_BASE_URL: "http://img.website.com",
    OTHER: 1, IMAGE_STORE: "no-trailing",
  };
  for (const c of behaviour.get_namespace) {
    it(`matches Flask for options ${JSON.stringify(c.options)}`, () => {
      expectSameDict(make(base).get_namespace(c.namespace, c.options), c.result);
    });
  }
});

describe("ConfigMapping (type-level, checked by tsc)", () => {
  it("types Flask's keys and allows others", () => {
    const config = make(defaultConfig());
    const lifetime: number = config.PERMANENT_SESSION_LIFETIME;
    const samesite: "Strict" | "Lax" | "None" | null = config.SESSION_COOKIE_SAMESITE;
    // @ts-expect-error DEBUG is a boolean
    config.DEBUG = "yes";
    // @ts-expect-error SameSite takes Flask's spelling
    config.SESSION_COOKIE_SAMESITE = "lax";
    config.ANY_EXTENSION_KEY = { nested: true };
    expect([lifetime, samesite]).to.deep.equal([2678400, null]);
  });
});

describe("instance folder", () => {
  it("is instance/ beside the app's module, or the absolute path given; relative paths are refused (as Flask)", () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    expect(app.instance_path).to.equal(path.join(path.dirname(fileURLToPath(import.meta.url)), "instance"));
    expect(new Flask(import.meta.url, { static_folder: null, instance_path: "/srv/app-data" }).instance_path).to.equal("/srv/app-data");
    expect(() => new Flask(import.meta.url, { instance_path: "data" })).to.throw(/must be absolute\. A relative path was given instead: "data"; use path\.resolve/);
  });

  it("is where config files are read from with instance_relative_config", () => {
    const app = new Flask(import.meta.url, { static_folder: null, instance_path: "/srv/app-data", instance_relative_config: true });
    expect(app.config.root_path).to.equal("/srv/app-data");
  });
});
