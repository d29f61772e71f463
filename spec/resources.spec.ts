// open_resource and open_instance_resource (lib/resources.ts): files of the app's folder and
// its instance folder, as Flask opens them (reading only for resources; text or bytes by mode).
import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Blueprint, Flask } from "../lib/index.js";

describe("open_resource and open_instance_resource", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "flaskish-resources-"));
  writeFileSync(path.join(root, "schema.sql"), "CREATE TABLE user (id INTEGER);\n");

  it("reads a file next to the app: bytes by default, text with mode r, closed with using", () => {
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    const bytes = app.open_resource("schema.sql");
    expect(bytes.read()).to.deep.equal(Buffer.from("CREATE TABLE user (id INTEGER);\n"));
    bytes.close();
    expect(bytes.closed).to.equal(true);
    expect(() => bytes.read()).to.throw(/I\/O operation on closed file/);
    let text: string;
    {
      using f = app.open_resource("schema.sql", "r");
      text = f.read();
    }
    expect(text).to.equal("CREATE TABLE user (id INTEGER);\n");
  });

  it("opens a blueprint's resource from the blueprint's folder", () => {
    const bp = new Blueprint("admin", import.meta.url, { root_path: root });
    using f = bp.open_resource("schema.sql", "rt");
    expect(f.read()).to.contain("CREATE TABLE");
  });

  it("refuses to open a resource for writing, as Flask does, pointing at the instance folder", () => {
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null });
    expect(() => app.open_resource("schema.sql", "w" as "r")).to.throw(/^Resources can only be opened for reading .*use open_instance_resource/);
  });

  it("writes and reads the instance folder", () => {
    const instance = mkdtempSync(path.join(os.tmpdir(), "flaskish-instance-"));
    const app = new Flask(import.meta.url, { root_path: root, static_folder: null, instance_path: instance });
    {
      using f = app.open_instance_resource("state.json", "w");
      expect(f.write('{"n": 1}')).to.equal(8);
    }
    expect(readFileSync(path.join(instance, "state.json"), "utf8")).to.equal('{"n": 1}');
    using again = app.open_instance_resource("state.json");
    expect(again.read().toString()).to.equal('{"n": 1}');
    // "x" creates a new file and refuses an existing one, as Python's open().
    {
      using created = app.open_instance_resource("new.txt", "x");
      created.write("fresh");
    }
    expect(readFileSync(path.join(instance, "new.txt"), "utf8")).to.equal("fresh");
    expect(() => app.open_instance_resource("new.txt", "x")).to.throw(/EEXIST/);
  });
});
