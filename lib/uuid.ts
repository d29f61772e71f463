/**
 * A UUID value type standing in for Python's `uuid.UUID`.
 *
 * Owns: parsing the spellings `uuid.UUID(hex)` accepts and the two renderings Flask relies on
 * (`hex` for the session tag ` u`, and the dashed `str()` form). JS has no UUID type, and a bare
 * string would come back from a session as a string, so this class is what keeps a UUID a UUID.
 * Must not generate UUIDs (use `crypto.randomUUID()` and wrap it).
 */

/**
 * An immutable UUID, mirroring Python's `uuid.UUID` (the attributes Flask needs).
 *
 * Accepts what Python accepts: 32 hex digits with or without dashes, optionally wrapped in
 * braces or prefixed with `urn:uuid:`.
 *
 * @example
 * const id = new UUID(crypto.randomUUID());
 * id.hex;        // "1b4e28ba2fa111d2883f0016d3cca427"
 * String(id);    // "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
 */
export class UUID {
  /** The 32 lowercase hex digits, as Python's `UUID.hex`. */
  readonly hex: string;

  constructor(value: string) {
    const hex = value.replace("urn:", "").replace("uuid:", "").replace(/^[{}]+|[{}]+$/g, "").replaceAll("-", "");
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
      throw new TypeError(
        `badly formed hexadecimal UUID string ${JSON.stringify(value)}: pass 32 hex digits, ` +
          "optionally dashed (8-4-4-4-12), in braces or after urn:uuid:",
      );
    }
    this.hex = hex.toLowerCase();
    Object.freeze(this);
  }

  /** The dashed 8-4-4-4-12 form, as Python's `str(uuid)`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** Plain `JSON.stringify` writes the dashed form (the tagged session serializer uses `hex`). */
  toJSON(): string {
    return this.toString();
  }

  /** True when `other` is a UUID with the same value. */
  equals(other: unknown): boolean {
    return other instanceof UUID && other.hex === this.hex;
  }
}
