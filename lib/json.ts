// The `json` namespace apps import (Flask's flask.json module): dumps/loads/dump/load with the
// current app's JSON provider (app.json), and outside an app context Python's json defaults
// (keys unsorted, non-ASCII escaped); jsonify as the helper.

import { activeAppContext } from "./context.js";
import { jsonify } from "./helpers.js";
import { DefaultJSONProvider } from "./json-provider.js";

// What flask.json uses without an app: Python's json.dumps with Flask's default() for dates,
// decimals, dataclasses...
const standalone = new DefaultJSONProvider({ debug: false });
standalone.sort_keys = false;

const provider = (): DefaultJSONProvider => activeAppContext()?.app.json ?? standalone;

/** Anything with a write(text) method, such as open_instance_resource(..., "w"). */
interface Writable {
  write(text: string): unknown;
}
/** Anything with a read() method giving text or bytes. */
interface Readable {
  read(): string | Uint8Array;
}

/**
 * Flask's `json` module.
 *
 * @example
 * import { json } from "flaskish";
 * json.dumps({ b: 1, a: "é" });   // '{"a": 1, "b": "\u00e9"}' in an app context (sorted keys)
 * json.loads('{"a": [1, 2]}');    // { a: [1, 2] }
 */
export const json = Object.freeze({
  dumps: (value: unknown, options?: { indent?: number; compact?: boolean }): string => provider().dumps(value, options),
  loads: (text: string | Uint8Array): unknown => provider().loads(text),
  /** Writes `value` as JSON to a file object (open_instance_resource(name, "w")). */
  dump: (value: unknown, fp: Writable, options?: { indent?: number; compact?: boolean }): void => void fp.write(provider().dumps(value, options)),
  /** Reads JSON from a file object (open_resource(name)). */
  load: (fp: Readable): unknown => provider().loads(fp.read()),
  jsonify,
});
