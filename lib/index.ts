// flaskish's public API: Flask's names, for Flask code that ports line by line.

export { Flask, type FlaskOptions, type UrlForValues } from "./app.js";
export { Blueprint, BlueprintSetupState, type BlueprintOptions, type RegisterOptions } from "./blueprint.js";
export { flaskish, environFrom, type FlaskishOptions, type Middleware } from "./express-adapter.js";
export { request, g, current_app, session, has_request_context, has_app_context, AppContext, RequestContext, AppCtxGlobals } from "./context.js";
export { url_for, redirect, abort, make_response, jsonify, after_this_request } from "./helpers.js";
export { Response, type ResponseInit, type StreamBody } from "./response.js";
export { Request, UserAgent, type Environ } from "./request.js";
export { Headers } from "./headers.js";
export { MultiDict, CombinedMultiDict } from "./multidict.js";
export * from "./http-exceptions.js";
export { DefaultJSONProvider } from "./json-provider.js";
export { Rule, type RuleArgs, type RuleOptions } from "./rule.js";
export { UrlMap } from "./url-map.js";
export { BuildError } from "./url-build.js";
export { BaseConverter, ValidationError } from "./converters.js";
export { Config, type ConfigMapping } from "./config.js";
export { Session, SessionInterface, NullSession, type SessionMixin } from "./session-interface.js";
export { escape, Markup } from "./markup.js";
export { type RawHandler } from "./make-response.js";
export { type View, type RouteOptions } from "./scaffold.js";
