// The limits Python's http.server puts on a request head, which Werkzeug's development server
// (and so `flask run` and app.run()) inherits, and the page it refuses a head with
// (BaseHTTPRequestHandler.send_error). Pure: it reads the parts of a head and says what to
// answer; serving.ts does the IO. It must not reach the app: Werkzeug refuses these heads before
// it builds a WSGI environ, so no route, hook or error handler sees them.

/** http.client._MAXLINE: the longest request line or header line Python reads, CRLF included. */
export const MAX_LINE = 65536;

/** http.client._MAXHEADERS: the most lines Python reads after the request line, the blank line that ends the head included. */
export const MAX_HEADERS = 100;

/**
 * node:http's `maxHeaderSize` for the development server: room for a request line and a header
 * line of MAX_LINE bytes each and more besides (Node counts the URL, the header names and the
 * values), so every head Werkzeug refuses line by line is refused here the same way. Python
 * would accept up to 99 such header lines (6.5 MB); Node's parser copies the URL or a value for
 * every packet, so a head that size costs it about a second of CPU, and the dev server stops
 * reading at this size instead: a head between it and 6.5 MB gets overflowRefusal()'s answer
 * where Werkzeug would run the app.
 */
export const MAX_HEAD_SIZE = 4 * MAX_LINE;

/** Why a head is refused: send_error's code, message (the reason phrase too) and explanation. */
export interface HeadRefusal {
  code: 414 | 431;
  message: string;
  explain: string;
}

// send_error(414) takes both texts from BaseHTTPRequestHandler.responses; the 431s pass their own.
const URI_TOO_LONG: HeadRefusal = { code: 414, message: "Request-URI Too Long", explain: "URI is too long" };
const LINE_TOO_LONG: HeadRefusal = { code: 431, message: "Line too long", explain: `got more than ${MAX_LINE} bytes when reading header line` };
const TOO_MANY_HEADERS: HeadRefusal = { code: 431, message: "Too many headers", explain: `got more than ${MAX_HEADERS} headers` };

/** The parts of a parsed head (an IncomingMessage has them all). */
export interface ParsedHead {
  method?: string | undefined;
  url?: string | undefined;
  httpVersion: string;
  rawHeaders: string[];
}

/**
 * What Werkzeug's server answers instead of running the app for this head, or null: a request
 * line over MAX_LINE bytes is a 414; then, line by line as Python reads them, a header line over
 * MAX_LINE bytes or a 100th line is a 431. Node hands over latin1 strings, one character a byte;
 * a header line is measured as sent in the usual form, `Name: value` and CRLF.
 *
 * @example
 * headRefusal({ method: "GET", url: `/${"a".repeat(70_000)}`, httpVersion: "1.1", rawHeaders: [] })?.code; // 414
 */
export function headRefusal(head: ParsedHead): HeadRefusal | null {
  const requestLine = `${head.method ?? ""} ${head.url ?? ""} HTTP/${head.httpVersion}\r\n`;
  if (requestLine.length > MAX_LINE) return URI_TOO_LONG;
  const raw = head.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length + raw[i + 1]!.length + 4 > MAX_LINE) return LINE_TOO_LONG;
    if (i / 2 + 1 > MAX_HEADERS) return TOO_MANY_HEADERS;
  }
  return raw.length / 2 + 1 > MAX_HEADERS ? TOO_MANY_HEADERS : null;
}

/**
 * The refusal for a head past MAX_HEAD_SIZE, which Node's parser stops reading (its
 * HPE_HEADER_OVERFLOW error, with the packet it was parsing and where it stopped). Werkzeug
 * refuses every such head, but which page it sends depends on which line broke its limits first,
 * and the lines before this packet are gone. No line break in the packet before the stop: one
 * line longer than the packet is still arriving, taken to be the request line (414; a header
 * line that long gets a 431 "Line too long" from Werkzeug). A line break: the head is many lines
 * (431 "Too many headers").
 */
export function overflowRefusal(packet: Buffer | undefined, stoppedAt: number | undefined): HeadRefusal {
  const read = packet?.subarray(0, stoppedAt ?? packet.length);
  return read !== undefined && read.includes(10) ? TOO_MANY_HEADERS : URI_TOO_LONG;
}

// http.server.DEFAULT_ERROR_MESSAGE; the texts are fixed above, so html.escape has nothing to do.
const errorBody = ({ code, message, explain }: HeadRefusal): string => `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: ${code}</p>
        <p>Message: ${message}.</p>
        <p>Error code explanation: ${code} - ${explain}.</p>
    </body>
</html>
`;

/**
 * send_error's response without its Server header: the reason phrase, the headers in its order
 * (Date, then Connection: close, Content-Type, Content-Length) and the page. The Content-Length
 * stays on a HEAD answer, whose body is not sent.
 */
export function refusalResponse(refusal: HeadRefusal, date: Date): { reason: string; headers: [string, string][]; body: Buffer } {
  const body = Buffer.from(errorBody(refusal), "utf8");
  return {
    reason: refusal.message,
    headers: [
      ["Date", date.toUTCString()],
      ["Connection", "close"],
      ["Content-Type", "text/html;charset=utf-8"],
      ["Content-Length", String(body.length)],
    ],
    body,
  };
}

/** The bytes of refusalResponse, for a socket no ServerResponse is writing to. */
export function refusalBytes(refusal: HeadRefusal, date: Date): Buffer {
  const { reason, headers, body } = refusalResponse(refusal, date);
  const head = [`HTTP/1.1 ${refusal.code} ${reason}`, ...headers.map(([name, value]) => `${name}: ${value}`)].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body]);
}

/** The line Werkzeug logs (log_error) before the access line of a refused head. */
export function refusalLogMessage(refusal: HeadRefusal): string {
  return `code ${refusal.code}, message ${refusal.message}`;
}
