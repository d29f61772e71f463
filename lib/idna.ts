// Python's "idna" codec (IDNA 2003), which Werkzeug encodes host names with: cookie domains,
// server names, trusted hosts. Node's domainToASCII follows UTS #46, so IDNA 2003's deviations
// (ß -> ss, final sigma, joiners dropped) are applied first.

import { domainToASCII } from "node:url";

/** A name the idna codec cannot encode; `reason` says why. */
export class IdnaError extends Error {
  override name = "IdnaError";
  constructor(readonly domain: string, readonly reason: string) {
    super(`cannot encode ${JSON.stringify(domain)} with IDNA: ${reason}`);
  }
}

/**
 * Encodes a host name as Python's `name.encode("idna")`: ASCII labels pass unchanged, other
 * labels are mapped and punycoded. Throws IdnaError for an empty or overlong label.
 *
 * @example
 * idnaEncode("bücher.example");   // "xn--bcher-kva.example"
 * idnaEncode("straße.de");        // "strasse.de" (IDNA 2003, as Python)
 */
export function idnaEncode(domain: string): string {
  const fail = (why: string): never => {
    throw new IdnaError(domain, why);
  };
  if (/^[\x00-\x7f]*$/.test(domain)) {
    const labels = domain.split(".");
    labels.slice(0, -1).forEach((label) => (label.length > 0 && label.length < 64) || fail("label empty or too long"));
    if ((labels.at(-1) ?? "").length >= 64) fail("label too long");
    return domain;
  }
  const labels = domain.split(/[.\u3002\uff0e\uff61]/);
  const trailingDot = labels.length > 1 && labels.at(-1) === "" ? "." : "";
  if (trailingDot) labels.pop();
  return labels.map((label) => {
    let encoded = label;
    if (/[^\x00-\x7f]/.test(label)) {
      encoded = domainToASCII(label.replaceAll("\u00df", "ss").replaceAll("\u03c2", "\u03c3").replace(/[\u200c\u200d]/g, ""));
      if (!encoded || encoded.includes(".")) fail(`label ${JSON.stringify(label)} is not a valid IDNA label`);
    }
    if (encoded.length === 0 || encoded.length >= 64) fail("label empty or too long");
    return encoded;
  }).join(".") + trailingDot;
}

const LONG_LABEL = /[^.:]{64}/;

/**
 * Whether a host (with or without its port) has a label idnaEncode refuses, an empty one before
 * the last or one over 63 characters: a test cheap enough for every request (the regex only runs
 * on hosts that long).
 *
 * @example
 * hasRefusedLabel("a..b:80");       // true
 * hasRefusedLabel("example.com.");  // false
 */
export function hasRefusedLabel(host: string): boolean {
  return host.charCodeAt(0) === 46 || host.includes("..") || (host.length > 63 && LONG_LABEL.test(host));
}
