// Request bodies: read and parse before the view runs (Node is asynchronous, views read
// request.form synchronously). Owns the limits (MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE,
// MAX_FORM_PARTS), reuse of bodies the host stack already parsed (body-parser, multer), and
// leaving the connection usable after an early rejection. Fills request._body; never throws:
// errors are kept and raised when the view touches the body, as Werkzeug raises them lazily.

import type { IncomingMessage } from "node:http";
import { FileStorage } from "./file-storage.js";
import { Headers } from "./headers.js";
import { BadRequest, RequestEntityTooLarge, type HTTPException } from "./http-exceptions.js";
import { MalformedForm, MultipartForm, parseUrlencoded, type FormLimits } from "./form-parser.js";
import { MultiDict } from "./multidict.js";
import type { ParsedBody, Request } from "./request.js";
import { DiskFile, SpooledTemporaryFile } from "./spooled-file.js";

/**
 * The client went away (or stopped sending) before the body it announced was complete
 * (Werkzeug's ClientDisconnected, a 400 Bad Request).
 *
 * @example
 * app.errorhandler(ClientDisconnected, () => ["", 400]);   // no page: nobody is listening
 */
export class ClientDisconnected extends BadRequest {}

/** Whether the request announces a body (Werkzeug reads none without Content-Length or chunking). */
export function hasBody(request: Request): boolean {
  const headers = request.environ.headers;
  const length = headers["content-length"];
  return (length !== undefined && length !== "0") || headers["transfer-encoding"] !== undefined;
}

function limitsOf(request: Request, config?: Record<string, unknown>): FormLimits & { max_content_length: number | null } {
  if (config === undefined) {
    return { max_content_length: request.max_content_length, max_form_memory_size: request.max_form_memory_size, max_form_parts: request.max_form_parts };
  }
  const read = (key: string): number | null => (config[key] === null || config[key] === undefined ? null : Number(config[key]));
  return { max_content_length: read("MAX_CONTENT_LENGTH"), max_form_memory_size: read("MAX_FORM_MEMORY_SIZE"), max_form_parts: read("MAX_FORM_PARTS") };
}

function emptyBody(extra: Partial<ParsedBody> = {}): ParsedBody {
  return { data: Buffer.alloc(0), form: new MultiDict(undefined, true), files: new MultiDict<FileStorage>(undefined, true), ...extra };
}

function filesCleanup(files: [string, FileStorage][]): (() => void) | undefined {
  return files.length === 0 ? undefined : () => { for (const [, f] of files) f.close(); };
}

/**
 * Parses a body that is already in memory (test contexts, `express.raw()` upstream), with the
 * same rules as a streamed one. `config` defaults to the current app's limits.
 */
export function parseBufferedBody(request: Request, data: Buffer, config?: Record<string, unknown>): ParsedBody {
  const limits = limitsOf(request, config);
  if (limits.max_content_length !== null && data.length > limits.max_content_length) return emptyBody({ error: new RequestEntityTooLarge() });
  const mimetype = request.mimetype;
  if (mimetype === "application/x-www-form-urlencoded") return urlencodedBody(request, data, limits);
  if (mimetype === "multipart/form-data") {
    const form = startMultipart(request, limits);
    if (form === null) return emptyBody();
    try {
      form.write(data);
      form.finish();
    } catch (error) {
      form.discard();
      return failedForm(error);
    }
    return multipartBody(form);
  }
  return emptyBody({ data });
}

function urlencodedBody(request: Request, data: Buffer, limits: FormLimits): ParsedBody {
  const max = limits.max_form_memory_size;
  // Werkzeug compares the declared length; a chunked body has none, so its size counts too.
  if (max !== null && (request.content_length ?? data.length) > max) return emptyBody({ data, formError: new RequestEntityTooLarge() });
  try {
    return emptyBody({ data, form: new MultiDict(parseUrlencoded(data), true) });
  } catch {
    return emptyBody({ data });
  }
}

/** The parser for a multipart request, or null when its Content-Type has no boundary (an empty form). */
function startMultipart(request: Request, limits: FormLimits): MultipartForm | null {
  if (!request.mimetype_params.boundary) return null;
  try {
    return new MultipartForm(request.content_type ?? "", limits, request._get_file_stream.bind(request), request.content_length);
  } catch (error) {
    if (error instanceof MalformedForm) return null;
    throw error;
  }
}

function multipartBody(form: MultipartForm): ParsedBody {
  const cleanup = filesCleanup(form.files);
  return emptyBody({
    form: new MultiDict(form.fields, true),
    files: new MultiDict<FileStorage>(form.files, true),
    ...(cleanup ? { cleanup } : {}),
  });
}

/** A form that failed: limits are 413s raised on access, malformed bodies are an empty form. */
function failedForm(error: unknown): ParsedBody {
  if (error instanceof MalformedForm) return emptyBody();
  if (error instanceof RequestEntityTooLarge) return emptyBody({ formError: error });
  return emptyBody({ error: error as HTTPException });
}

/**
 * Reads the body of a request that has one, before the view runs. Requests without a body
 * return at once. Never throws: failures are stored and raised when the view reads the body.
 */
export async function loadBody(request: Request, config: Record<string, unknown>): Promise<void> {
  const node = request.environ.node;
  if (request._body !== undefined || node === undefined || !hasBody(request)) return;
  const host = hostParsedBody(request, node);
  if (host !== undefined) {
    request._body = host;
    return;
  }
  const limits = limitsOf(request, config);
  const declared = request.content_length;
  if (limits.max_content_length !== null && declared !== null && declared > limits.max_content_length) {
    // Not read at all: Node discards the rest once the response is sent, keeping the connection usable.
    request._body = emptyBody({ error: new RequestEntityTooLarge() });
    return;
  }
  if (request.mimetype === "multipart/form-data") {
    request._body = await streamMultipart(request, node, limits);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    await pump(node, (chunk) => {
      size += chunk.length;
      if (limits.max_content_length !== null && size > limits.max_content_length) throw new RequestEntityTooLarge();
      chunks.push(chunk);
    });
  } catch (error) {
    request._body = emptyBody({ error: error as HTTPException });
    return;
  }
  const data = Buffer.concat(chunks, size);
  request._body = request.mimetype === "application/x-www-form-urlencoded" ? urlencodedBody(request, data, limits) : emptyBody({ data });
}

async function streamMultipart(request: Request, node: IncomingMessage, limits: FormLimits & { max_content_length: number | null }): Promise<ParsedBody> {
  const form = startMultipart(request, limits);
  let size = 0;
  try {
    // A body without a boundary is still read (and counted against MAX_CONTENT_LENGTH), not parsed.
    await pump(node, (chunk) => {
      size += chunk.length;
      if (limits.max_content_length !== null && size > limits.max_content_length) throw new RequestEntityTooLarge();
      form?.write(chunk);
    });
    if (form === null) return emptyBody();
    await form.finished();
  } catch (error) {
    form?.discard();
    return failedForm(error);
  }
  return multipartBody(form);
}

/**
 * Feeds each chunk of the Node request to `onChunk`. When `onChunk` throws, reading stops, the
 * rest of the body is discarded (so the connection stays usable) and the promise rejects with
 * that error; a client that disconnects first rejects it with ClientDisconnected.
 */
function pump(node: IncomingMessage, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      node.off("data", onData);
      node.off("end", onEnd);
      node.off("error", onError);
      node.off("close", onClose);
    };
    const onData = (chunk: Buffer): void => {
      try {
        onChunk(chunk);
      } catch (error) {
        done();
        node.resume();
        reject(error);
      }
    };
    const onEnd = (): void => {
      done();
      resolve();
    };
    const onError = (error: Error): void => {
      done();
      const failure = new ClientDisconnected();
      failure.cause = error;
      reject(failure);
    };
    const onClose = (): void => {
      if (node.readableEnded) return;
      done();
      reject(new ClientDisconnected());
    };
    node.on("data", onData);
    node.once("end", onEnd);
    node.once("error", onError);
    node.once("close", onClose);
  });
}

// --- bodies the host stack already read ---------------------------------------------------

interface MulterFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer?: Buffer;
  path?: string;
}

type HostRequest = IncomingMessage & { body?: unknown; _body?: boolean; file?: MulterFile; files?: MulterFile[] | Record<string, MulterFile[]> };

/**
 * The body as the host stack left it, when it has already been read: body-parser (express.json,
 * urlencoded, raw, text; Express 4 marks `_body`, Express 5's ends the stream), multer
 * (`req.file`/`req.files`) or anything else that consumed the stream. undefined: read it here.
 */
function hostParsedBody(request: Request, node: HostRequest): ParsedBody | undefined {
  const multer = node.file !== undefined || node.files !== undefined;
  if (node._body !== true && !multer && !node.readableEnded) return undefined;
  const body = node.body;
  if (multer) {
    const files = multerFiles(node);
    return emptyBody({
      form: new MultiDict(flatten(body), true),
      files: new MultiDict<FileStorage>(files, true),
      ...(files.length ? { cleanup: filesCleanup(files)! } : {}),
    });
  }
  if (Buffer.isBuffer(body)) return parseBufferedBody(request, body, {});
  if (typeof body === "string") return parseBufferedBody(request, Buffer.from(body, "utf8"), {});
  if (body === undefined) return emptyBody();
  if (request.mimetype === "application/x-www-form-urlencoded" && typeof body === "object" && body !== null) {
    return emptyBody({ form: new MultiDict(flatten(body), true) });
  }
  return emptyBody({ json: { value: body } });
}

/** Nested objects from qs/append-field back to Werkzeug's flat keys: `{a: {b: "c"}}` -> `a[b]=c`. */
function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value === null || value === undefined || typeof value !== "object") return prefix ? [[prefix, String(value ?? "")]] : [];
  const out: [string, string][] = [];
  if (Array.isArray(value)) {
    for (const item of value) out.push(...(item !== null && typeof item === "object" ? flatten(item, `${prefix}[]`) : [[prefix, String(item)] as [string, string]]));
    return out;
  }
  for (const [key, item] of Object.entries(value)) out.push(...flatten(item, prefix ? `${prefix}[${key}]` : key));
  return out;
}

function multerFiles(node: HostRequest): [string, FileStorage][] {
  const list: MulterFile[] = [];
  if (node.file !== undefined) list.push(node.file);
  if (Array.isArray(node.files)) list.push(...node.files);
  else if (node.files !== undefined) for (const group of Object.values(node.files)) list.push(...group);
  return list.map((f) => {
    const stream = f.buffer !== undefined ? SpooledTemporaryFile.fromBuffer(f.buffer) : new DiskFile(f.path!);
    const headers = new Headers([["Content-Type", f.mimetype]]);
    return [f.fieldname, new FileStorage(stream, f.originalname, f.fieldname, headers)];
  });
}

