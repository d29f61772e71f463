// The TypeScript twin of the views in spec/fixtures/gen/request_data.py, line by line, so the
// fixture's expected responses (from real Flask) can be replayed against flaskish.
import { Flask, request, type MultiDict } from "../../lib/index.js";
import type { FileStorage } from "../../lib/file-storage.js";

function short(value: string): string {
  return value.length <= 64 ? value : `<${value.length} chars: ${value.slice(0, 16)}...>`;
}

function pairs(md: MultiDict): [string, string][] {
  return md.items(true).map(([k, v]) => [k, short(v)]);
}

function fileInfo(f: FileStorage): Record<string, unknown> {
  const data = f.read();
  f.stream.seek(0);
  return {
    filename: f.filename,
    name: f.name,
    content_type: f.content_type,
    mimetype: f.mimetype,
    mimetype_params: f.mimetype_params,
    content_length: f.content_length,
    size: data.length,
    head: data.subarray(0, 40).toString("latin1"),
    rolled: Boolean((f.stream as { rolled?: boolean }).rolled),
  };
}

export function buildRequestDataApp(config: Record<string, unknown> = {}): Flask {
  const app = new Flask(import.meta.url, { static_folder: null });
  Object.assign(app.config, config);
  app.route("/echo", { methods: ["GET", "POST", "PUT"] }, function echo() {
    return {
      form: pairs(request.form),
      files: request.files.items(true).map(([k, f]) => [k, fileInfo(f)]),
      values: pairs(request.values),
    };
  });
  app.route("/login", { methods: ["POST"] }, function login() {
    return { username: request.form["username"], password: request.form["password"] };
  });
  app.route("/untouched", { methods: ["POST"] }, function untouched() { return { ok: true }; });
  app.route("/json", { methods: ["POST"] }, function json_() { return { json: request.get_json() }; });
  app.route("/json-silent", { methods: ["POST"] }, function json_silent() { return { json: request.get_json({ silent: true }) }; });
  app.route("/json-force", { methods: ["POST"] }, function json_force() { return { json: request.get_json({ force: true }) }; });
  app.route("/data-first", { methods: ["POST"] }, function data_first() {
    const data = request.get_data();
    return { get_data: data.toString("latin1"), form: pairs(request.form) };
  });
  app.route("/form-first", { methods: ["POST"] }, function form_first() {
    const form = pairs(request.form);
    return { form, data: request.data.toString("latin1"), get_data: request.get_data().toString("latin1") };
  });
  return app;
}
