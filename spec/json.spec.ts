// The `json` namespace (lib/json.ts, Flask's flask.json): the app's provider inside an app
// context, Python's json defaults outside one. Expected strings from real Flask 3.1
// (`flask.json.dumps({"b": 1, "a": "é"})` outside and inside an app context).
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Flask, json } from "../lib/index.js";

describe("json (flask.json)", () => {
  it("dumps with Python's defaults outside an app and the app's provider inside (expected from real Flask)", () => {
    expect(json.dumps({ b: 1, a: "é" })).to.equal('{"b": 1, "a": "\\u00e9"}');
    const app = new Flask(import.meta.url, { static_folder: null });
    app.app_context().run(() => {
      expect(json.dumps({ b: 1, a: "é" })).to.equal('{"a": "\\u00e9", "b": 1}');
      app.json.ensure_ascii = false;
      expect(json.dumps({ a: "é" })).to.equal('{"a": "é"}');
    });
  });

  it("loads text or bytes, and dump/load go through file objects", () => {
    expect(json.loads('{"a": [1, 2]}')).to.deep.equal({ a: [1, 2] });
    expect(json.loads(Buffer.from("[true]"))).to.deep.equal([true]);
    const app = new Flask(import.meta.url, { static_folder: null, instance_path: mkdtempSync(path.join(os.tmpdir(), "flaskish-json-")) });
    app.app_context().run(() => {
      {
        using f = app.open_instance_resource("state.json", "w");
        json.dump({ n: 1, list: ["x"] }, f);
      }
      using again = app.open_instance_resource("state.json");
      expect(json.load(again)).to.deep.equal({ n: 1, list: ["x"] });
    });
  });

  it("has jsonify, which always means a JSON response", () => {
    const app = new Flask(import.meta.url, { static_folder: null });
    app.test_request_context().run(() => {
      expect(json.jsonify([1, 2]).get_data(true)).to.equal("[1,2]\n");
    });
  });
});
