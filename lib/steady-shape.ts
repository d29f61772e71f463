// Express replaces the prototype of every request's req and res (Object.setPrototypeOf in its
// app.handle, expressInit in Express 4). On Node 20's V8 that leaves each object with a hidden
// class of its own, outside the transition tree all the others share: every property added to
// it afterwards (Node's writeHead and end add statusCode, _header, finished...) makes yet another
// hidden class for that one request. Inline caches then miss on every access, and the young
// generation fills with per-request maps and descriptor arrays that survive scavenges (Express
// with one raw handler answers at about a third of bare node:http here, most of it this).
//
// Deleting and re-adding one own property puts the object in dictionary mode, whose hidden
// class is shared by every object of that kind: the properties added afterwards cost a
// hash-table insert, and the caches keep hitting. Nothing observable changes but the position
// of that one key in Object.keys().

/** Whether the object's prototype was replaced after it was made (not a subclass instance). */
function prototypeReplaced(object: object): boolean {
  const made = (object as { constructor?: { prototype?: unknown } }).constructor;
  return Object.getPrototypeOf(object) !== made?.prototype;
}

/**
 * Gives an object whose prototype was replaced a hidden class it shares with its kind, by
 * deleting and re-adding `ownKey` (an own data property it always has). Objects that keep the
 * prototype they were made with are left as they are.
 *
 * @example
 * steadyShape(res, "sendDate");   // in Express: before writeHead, which adds properties to res
 */
export function steadyShape(object: object, ownKey: string): void {
  if (!prototypeReplaced(object) || !Object.hasOwn(object, ownKey)) return;
  const record = object as Record<string, unknown>;
  const value = record[ownKey];
  if (Reflect.deleteProperty(object, ownKey)) record[ownKey] = value;
}
