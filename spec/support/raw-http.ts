// Raw HTTP requests for specs (reconstructed by the request-data helper from its call sites in
// send-file.spec.ts and static-files.spec.ts after overwriting the original by mistake):
// listen() starts a server on 127.0.0.1, rawRequest() sends a path exactly as given (no URL
// normalisation, so "..%2f" and "/../" reach the server untouched).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RawHttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Serves `handler` on 127.0.0.1 at a free port; close() stops it. */
export function listen(handler: http.RequestListener): Promise<{ port: number; close: () => Promise<void>; server: http.Server }> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      const close = (): Promise<void> =>
        new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        });
      resolve({ port, close, server });
    });
  });
}

/** One request with the path sent as is; resolves with status, lowercased headers and body. */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
