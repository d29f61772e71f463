// Express replaces the prototype of every request's req and res (Object.setPrototypeOf in its
// app.handle, expressInit in Express 4). On Node 20's V8 that leaves each object with a hidden
// class of its own, outside the transition tree all the others share, and V8 records no
// transitions from it: every property added or changed afterwards (Node's writeHead sets
// statusCode and statusMessage, end sets more) makes yet another hidden class for that one
// request. Inline caches then miss on every access, and the young generation fills with
// per-request maps and descriptor arrays that survive scavenges.
//
// Deleting and re-defining one own property puts the object in dictionary mode, whose hidden
// class is shared by every object of that kind: the properties set afterwards cost a
// hash-table insert, and the caches keep hitting. The property comes back with its value and
// attributes; only its place in Object.keys() changes (it is listed last).

/** Whether the object's prototype is not its constructor's (Express re-parented it). */
function prototypeReplaced(object: object): boolean {
  const made = (object as { constructor?: { prototype?: unknown } }).constructor;
  return Object.getPrototypeOf(object) !== made?.prototype;
}

/**
 * Gives an object whose prototype was replaced a hidden class it shares with its kind, by
 * deleting and re-defining `ownKey`, an own configurable data property. Objects that keep
 * their constructor's prototype, objects that cannot be extended and keys that are accessors
 * or missing are left as they are.
 *
 * @example
 * steadyShape(res, "sendDate");   // in Express: before writeHead sets properties on res
 */
export function steadyShape(object: object, ownKey: string): void {
  if (!prototypeReplaced(object) || !Object.isExtensible(object)) return;
  const property = Object.getOwnPropertyDescriptor(object, ownKey);
  if (property === undefined || !property.configurable || !("value" in property)) return;
  if (Reflect.deleteProperty(object, ownKey)) Object.defineProperty(object, ownKey, property);
}
