// flaskish's public API: Flask's names, for Flask code that ports line by line.

export { Flask, type FlaskOptions, type UrlForValues } from "./app.js";
export { Blueprint, BlueprintSetupState, type BlueprintOptions, type RegisterOptions } from "./blueprint.js";
export { flaskish, type FlaskishOptions, type Middleware } from "./express-adapter.js";
export { request, g, current_app, session, has_request_context, has_app_context, AppContext, RequestContext, AppCtxGlobals } from "./context.js";
export { url_for, redirect, abort, make_response, jsonify, after_this_request, stream_with_context, copy_current_request_context } from "./helpers.js";
export { Response, type ResponseInit, type StreamBody } from "./response.js";
export { Request, UserAgent, type Environ } from "./request.js";
export { Headers } from "./headers.js";
export { MultiDict, CombinedMultiDict } from "./multidict.js";
export {
  HTTPException, BadRequest, BadRequestKeyError, SecurityError, BadHost, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable,
  RequestTimeout, Conflict, Gone, LengthRequired, PreconditionFailed, RequestEntityTooLarge, RequestURITooLarge,
  UnsupportedMediaType, RequestedRangeNotSatisfiable, ExpectationFailed, ImATeapot, MisdirectedRequest,
  UnprocessableEntity, Locked, FailedDependency, PreconditionRequired, TooManyRequests, RequestHeaderFieldsTooLarge,
  UnavailableForLegalReasons, InternalServerError, NotImplemented, BadGateway, ServiceUnavailable, GatewayTimeout,
  HTTPVersionNotSupported, RequestRedirect, default_exceptions, makeAborter, type Aborter,
} from "./http-exceptions.js";
export { DefaultJSONProvider } from "./json-provider.js";
export { Rule, type RedirectFunction, type RuleOptions } from "./rule.js";
export type { RuleArgs } from "./rule-args.js";
export { UrlMap } from "./url-map.js";
export { MapAdapter, type BindOptions, type AdapterBuildOptions } from "./url-adapter.js";
export { BuildError } from "./url-build.js";
export { BaseConverter, ValidationError } from "./converters.js";
export { Config, type ConfigMapping } from "./config.js";
export { Session, SessionInterface, NullSession, type SessionMixin } from "./session-interface.js";
export { escape, Markup } from "./markup.js";
export { type RawHandler } from "./make-response.js";
export { type View, type RouteOptions } from "./scaffold.js";
export { flash, get_flashed_messages, type FlashedMessage, type GetFlashedMessagesOptions } from "./flash.js";
export { SecureCookieSessionInterface, SecureCookieSession } from "./secure-cookie-session.js";
export { ExpressSessionInterface, ExpressSession, DefaultSessionInterface } from "./express-session-interface.js";
export { FlaskClient, TestResponse, Cookie, type TestRequestOptions, type FileValue, type FormData as TestFormData, type FormValue } from "./testing.js";
export { FlaskCliRunner, type CliResult } from "./cli/runner.js";
export { run_simple, PortInUseError, type RunOptions } from "./serving.js";
export { NoAppException } from "./cli/discovery.js";
export { load_dotenv } from "./cli/dotenv.js";
export { render_template, render_template_string, stream_template, stream_template_string, get_template_attribute, select_autoescape, TemplateNotFound, TemplateEnvironment, type TemplateEngine, type EngineSettings } from "./templating.js";
export { send_file, type SendFileOptions, type SendFileSource } from "./send-file.js";
export { send_from_directory, safe_join } from "./static-files.js";
export { secure_filename } from "./secure-filename.js";
export { FileStorage, type SaveTarget } from "./file-storage.js";
export { SpooledTemporaryFile } from "./spooled-file.js";
export { ProxyFix, type ProxyFixOptions, type ProxyFixApp } from "./proxy-fix.js";
export { Authorization } from "./http-parse.js";
export { ClientDisconnected } from "./request-body.js";
export { type Stage } from "./coroutine.js";
export { AppGroup } from "./cli/app-group.js";
export { click } from "./cli/click.js";
export type { CommandOptions } from "./cli/click.js";
export type { ArgumentOptions, OptionOptions, ParamType } from "./cli/click-params.js";
export {
  Signal, Namespace, ANY, template_rendered, before_render_template, request_started, request_finished, request_tearing_down,
  got_request_exception, appcontext_tearing_down, appcontext_pushed, appcontext_popped, message_flashed, type Receiver,
} from "./signals.js";
// The View class is exported from "flaskish/views" (as from flask.views): here View names the view function type.
export { MethodView, type ClassView } from "./views.js";
export { ResourceFile, type FileMode } from "./resources.js";
export { json } from "./json.js";
