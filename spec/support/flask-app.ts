// The TypeScript twin of spec/fixtures/gen/flask_responses.py: the same views, line by line.
import { Flask, abort, jsonify, make_response, redirect, url_for, request, Response, Conflict } from "../../lib/index.js";

export class MyError extends Error {}
export class MySubError extends MyError {}

export function buildResponsesApp(): Flask {
  const app = new Flask(import.meta.url);
  app.config.PROPAGATE_EXCEPTIONS = false; // Flask's test client in the fixture ran without testing mode
  app.route("/", function index() { return "<p>Hello, World!</p>"; });
  app.route("/json-dict", function json_dict() {
    return { b: 1, a: "é<>&'\u2603", c: [1.5, null, true], nested: { z: 1, y: { k: "v" } } };
  });
  app.route("/json-list", function json_list() { return [1, "two", { z: 1, a: 2 }]; });
  app.route("/tuple-status", function tuple_status() { return ["created", 201]; });
  app.route("/tuple-headers", function tuple_headers() { return ["hi", { "X-Foo": "bar" }]; });
  app.route("/tuple-all", function tuple_all() { return ["gone", 410, { "X-Foo": "bar", "Content-Type": "text/plain" }]; });
  app.route("/tuple-status-text", function tuple_status_text() { return ["odd", "299 SOMETHING ODD"]; });
  app.route("/tuple-json", function tuple_json() { return [{ error: "bad" }, 422]; });
  app.route("/bytes", function bytes_() { return Buffer.from([0, 1, 97, 98, 99]); });
  app.route("/stream", function stream() {
    return (function* gen() { yield "a"; yield "b"; })();
  });
  app.route("/none", function none() { return null; });
  app.route("/abort404", function abort404() { abort(404); });
  app.route("/abort-desc", function abort_desc() { abort(403, "no <way>\nnot today"); });
  app.route("/redirect", function redirect_() { return redirect("/target?x=1&y=<2>"); });
  app.route("/redirect301", function redirect301() { return redirect(url_for("index"), 301); });
  app.route("/jsonify-args", function jsonify_args() { return jsonify(1, 2, 3); });
  app.route("/jsonify-one", function jsonify_one() { return jsonify({ x: [1, 2] }); });
  app.route("/make-response", function make_response_() {
    const resp = make_response("body", 202);
    resp.headers.set("X-Something", "A value");
    return resp;
  });
  app.route("/projects/", function projects() { return "The project page"; });
  app.route("/about", function about() { return "The about page"; });
  app.route("/user/<username>", function profile({ username }) { return `${username}'s profile`; });
  app.route("/post/<int:post_id>", function show_post({ post_id }) { return `Post ${post_id}`; });
  app.route("/error", function error() { throw new TypeError("boom"); });
  app.errorhandler(MyError, (e) => [`handled ${e.constructor.name}`, 418]);
  app.route("/my-sub-error", function my_sub_error() { throw new MySubError(); });
  app.route("/conflict", function conflict() { throw new Conflict(); });
  app.errorhandler(409, (e) => [`conflict handler: ${e.name} ${e.code}`, 409]);
  app.route("/unicode", function unicode_() { return "héllo ☃"; });
  app.route("/response-obj", function response_obj() { return new Response("teapot", { status: 418, mimetype: "text/plain" }); });
  app.route("/tuple-response", function tuple_response() { return [new Response("x"), 203]; });
  app.route("/methods", { methods: ["GET", "POST"] }, function methods() { return request.method; });
  return app;
}
