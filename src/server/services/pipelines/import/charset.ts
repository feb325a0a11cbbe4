/**
 * Charsets an upload may declare (`Content-Type: text/csv; charset=latin1`). The file is decoded
 * by JavaScript (see decode.ts), exactly as PostgreSQL would convert it, and reaches the
 * database as UTF-8. A UTF-8 file that is not valid UTF-8 is refused with its line.
 */
export interface Charset {
  /** Canonical label, stored with the import. */
  label: string;
  /** WHATWG label for TextDecoder. */
  decoder: string;
  /** PostgreSQL's name of the encoding, whose conversion the decoding matches. */
  postgres: string;
}

// A Map, not an object: the label comes from the request, and `constructor` or `__proto__`
// must not find what every object inherits.
const CHARSETS = new Map<string, Charset>();
function add(charset: Charset, aliases: string[]): void {
  for (const alias of [charset.label, ...aliases]) CHARSETS.set(alias, charset);
}
add({ label: "utf-8", decoder: "utf-8", postgres: "UTF8" }, ["utf8", "us-ascii", "ascii"]);
add({ label: "iso-8859-1", decoder: "latin1", postgres: "LATIN1" }, ["latin1", "iso8859-1", "l1"]);
add({ label: "windows-1252", decoder: "windows-1252", postgres: "WIN1252" }, ["cp1252"]);
add({ label: "iso-8859-15", decoder: "iso-8859-15", postgres: "LATIN9" }, ["latin9", "iso8859-15"]);

export const SUPPORTED_CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15"] as const;

export function charsetFor(label: string | undefined): Charset | undefined {
  if (!label) return CHARSETS.get("utf-8");
  return CHARSETS.get(label.trim().toLowerCase().replace(/^"|"$/g, ""));
}
