/**
 * Werkzeug's `secure_filename`: turns an untrusted upload filename into one that is safe to
 * join onto a directory path.
 *
 * Owns the filename rules only (no filesystem access). Like Werkzeug, the Windows-only rules
 * (backslash as a separator, device names such as CON or LPT1) apply when running on Windows;
 * the platform can be passed explicitly so both behaviours can be tested anywhere.
 */

/** Which operating-system rules to apply: Werkzeug's `os.name` of "nt" versus everything else. */
export type FilenamePlatform = "win32" | "posix";

// Werkzeug's _windows_device_files (the superscript forms can never survive the whitelist,
// but are kept so the set matches Werkzeug's).
const WINDOWS_DEVICE_FILES = new Set([
  "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
  ...["1", "2", "3", "4", "5", "6", "7", "8", "9", "\u00b9", "\u00b2", "\u00b3"].flatMap((n) => [`COM${n}`, `LPT${n}`]),
]);

// Python's str.split() whitespace, restricted to ASCII since only ASCII is left by then.
const ASCII_WHITESPACE_RE = /[\t\n\v\f\r\x1c-\x1f ]+/;
const NOT_ALLOWED_RE = /[^A-Za-z0-9_.-]/g;

/**
 * Returns a version of `filename` that can be stored on a regular file system: Unicode is
 * decomposed and reduced to ASCII, path separators and whitespace become `_`, anything outside
 * `[A-Za-z0-9_.-]` is dropped, and leading/trailing dots and underscores are stripped. On
 * Windows, names of device files (CON, NUL, COM1...) are prefixed with `_`.
 *
 * The result may be empty: pick a fallback name yourself in that case.
 *
 * @param platform - Whose rules to use; defaults to the running platform, as Werkzeug does.
 * @example
 * secure_filename("My cool movie.mov");               // "My_cool_movie.mov"
 * secure_filename("../../../etc/passwd");             // "etc_passwd"
 * secure_filename("i contain cool \xfcml\xe4uts.txt"); // "i_contain_cool_umlauts.txt"
 * secure_filename("nul.txt", "win32");                // "_nul.txt"
 */
export function secure_filename(filename: string, platform: FilenamePlatform = currentPlatform()): string {
  const windows = platform === "win32";
  let name = filename.normalize("NFKD").replace(/[^\x00-\x7f]/gu, "");
  name = name.replaceAll("/", " ");
  if (windows) name = name.replaceAll("\\", " ");
  name = name
    .split(ASCII_WHITESPACE_RE)
    .filter(Boolean)
    .join("_")
    .replace(NOT_ALLOWED_RE, "")
    .replace(/^[._]+|[._]+$/g, "");
  if (windows && name && WINDOWS_DEVICE_FILES.has((name.split(".")[0] ?? "").toUpperCase())) {
    name = `_${name}`;
  }
  return name;
}

function currentPlatform(): FilenamePlatform {
  return process.platform === "win32" ? "win32" : "posix";
}
