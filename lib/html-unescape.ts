/**
 * Python's html.unescape: decodes named and numeric character references the way CPython does
 * (longest-prefix matching for legacy names, Windows-1252 fix-ups for C1 numeric references,
 * dropped non-characters), so Markup.unescape/striptags give byte-identical text.
 *
 * Owns the decoding rules only; the entity table is generated into html-entities.ts.
 */
import { lookupEntity } from "./html-entities.js";

// Python's html._charref: a name is any run of up to 32 characters up to a delimiter.
const CHARREF_RE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

// Numeric references the HTML standard remaps: NUL, CR and the Windows-1252 C1 range.
const REMAPPED: Record<number, string> = {
  0x00: "\ufffd", 0x0d: "\r", 0x80: "\u20ac", 0x81: "\x81", 0x82: "\u201a", 0x83: "\u0192",
  0x84: "\u201e", 0x85: "\u2026", 0x86: "\u2020", 0x87: "\u2021", 0x88: "\u02c6", 0x89: "\u2030",
  0x8a: "\u0160", 0x8b: "\u2039", 0x8c: "\u0152", 0x8d: "\x8d", 0x8e: "\u017d", 0x8f: "\x8f",
  0x90: "\x90", 0x91: "\u2018", 0x92: "\u2019", 0x93: "\u201c", 0x94: "\u201d", 0x95: "\u2022",
  0x96: "\u2013", 0x97: "\u2014", 0x98: "\u02dc", 0x99: "\u2122", 0x9a: "\u0161", 0x9b: "\u203a",
  0x9c: "\u0153", 0x9d: "\x9d", 0x9e: "\u017e", 0x9f: "\u0178",
};

/** Code points CPython drops from numeric references: controls and non-characters. */
function isDropped(cp: number): boolean {
  return (cp >= 0x01 && cp <= 0x08) || cp === 0x0b || (cp >= 0x0e && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f)
    || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

function numeric(ref: string): string {
  const hex = ref[1] === "x" || ref[1] === "X";
  const digits = ref.slice(hex ? 2 : 1).replace(/;$/, "");
  const cp = parseInt(digits, hex ? 16 : 10);
  const remapped = REMAPPED[cp];
  if (remapped !== undefined) return remapped;
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return "\ufffd";
  if (isDropped(cp)) return "";
  return String.fromCodePoint(cp);
}

function named(ref: string): string {
  const exact = lookupEntity(ref);
  if (exact !== undefined) return exact;
  // Only legacy names match without a semicolon; the longest one wins.
  for (let end = ref.length - 1; end > 1; end--) {
    const hit = lookupEntity(ref.slice(0, end));
    if (hit !== undefined) return hit + ref.slice(end);
  }
  return `&${ref}`;
}

/**
 * Replaces HTML character references in `text` with the characters they stand for, exactly as
 * Python's `html.unescape` does.
 *
 * @example
 * html_unescape("Main &raquo; &lt;em&gt;About&#x3C;/em&gt;"); // "Main » <em>About</em>"
 */
export function html_unescape(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(CHARREF_RE, (_match, ref: string) => (ref.startsWith("#") ? numeric(ref) : named(ref)));
}
