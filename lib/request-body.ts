// Request bodies: reads and parses the body before the view runs (Node is asynchronous, views
// read request.form synchronously). Owns limits and parsing; fills request._body.

import type { Request, ParsedBody } from "./request.js";
import { RequestEntityTooLarge } from "./http-exceptions.js";
import { MultiDict } from "./multidict.js";
import { parseQueryString } from "./urls.js";

function hasBody(request: Request): boolean {
  const headers = request.environ.headers;
  return (headers["content-length"] !== undefined && headers["content-length"] !== "0") || headers["transfer-encoding"] !== undefined;
}

/** Parses a body that is already in memory (test contexts, host stacks that buffered it). */
export function parseBufferedBody(request: Request, data: Buffer): ParsedBody {
  if (request.mimetype === "application/x-www-form-urlencoded") {
    return { data: Buffer.alloc(0), form: new MultiDict(parseQueryString(data.toString("latin1")), true), files: new MultiDict<any>(undefined, true) };
  }
  return { data, form: new MultiDict(undefined, true), files: new MultiDict<any>(undefined, true) };
}

/** Reads the body of a request that has one, within MAX_CONTENT_LENGTH. */
export async function loadBody(request: Request, config: Record<string, unknown>): Promise<void> {
  const node = request.environ.node;
  if (request._body !== undefined || node === undefined || !hasBody(request)) return;
  const limit = config.MAX_CONTENT_LENGTH as number | null;
  const declared = request.content_length;
  if (limit !== null && declared !== null && declared > limit) throw new RequestEntityTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of node) {
    size += (chunk as Buffer).length;
    if (limit !== null && size > limit) throw new RequestEntityTooLarge();
    chunks.push(chunk as Buffer);
  }
  request._body = parseBufferedBody(request, Buffer.concat(chunks));
}
