/** Query parameters whose values are credentials and never appear in errors or logs. */
const SECRET_PARAMS = ['access_token', 'key', 'api_key', 'apikey', 'token', 'client_secret', 'password', 'secret'];

/** Headers whose values are credentials and never appear in errors or logs. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'client_secret'];

/** What credentials are replaced with in errors and logs. */
export const REDACTED = '[REDACTED]';

/** Shorter values are not scrubbed from text: they would match by chance and hide unrelated text. */
const MIN_SECRET_LENGTH = 4;

/** Whatever precedes an `@` before the query of a URL that does not parse: it may be `user:pass`. */
const USERINFO = /^([^?#]*?\/\/)?[^?#]*@/;

/** A URL with its `user:pass@` and every credential-bearing query parameter value replaced by `[REDACTED]`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Each credential-bearing query parameter's value (the names of `SECRET_PARAMS`): built here, as only such URLs need it.
    return url.replace(USERINFO, `$1${REDACTED}@`).replace(new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#]*`, 'gi'), `$1${REDACTED}`);
  }
  const userinfo = parsed.username !== '' || parsed.password !== '';
  parsed.username = parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.includes(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
  }
  const out = parsed.href.replaceAll(encodeURIComponent(REDACTED), REDACTED);
  return userinfo ? out.replace('//', `//${REDACTED}@`) : out;
}

/** A plain object of headers: credential-bearing headers redacted, every secret scrubbed from the others (e.g. `www-authenticate`). */
export function redactHeaders(headers: Headers, secrets: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SECRET_HEADERS.includes(name.toLowerCase()) ? REDACTED : scrub(value, secrets);
  });
  return out;
}

/** A copy of `headers` that is safe to keep in an error: see `redactHeaders`. */
export function scrubHeaders(headers: Headers, secrets: readonly string[]): Headers {
  return new Headers(redactHeaders(headers, secrets));
}

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A pattern matching `secret` in any of its encodings, character by character: raw, percent-encoded
 * (all or some characters), form-encoded (`+` for a space) and JSON-escaped (`\/`, `\u002b`). It is compiled
 * case-insensitive, so `%2b` and `\u002B` match too (a differently cased raw copy is then redacted as well).
 */
function secretPattern(secret: string): string {
  const encoder = new TextEncoder();
  return [...secret]
    .map((char) => {
      const forms = [escapeRegExp(char), [...encoder.encode(char)].map((byte) => `%${hex(byte, 2)}`).join('')];
      if (char === ' ') forms.push('\\+');
      if (char === '/' || char === '"' || char === '\\') forms.push(`\\\\${escapeRegExp(char)}`);
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x10000) forms.push(`\\\\u${hex(code, 4)}`);
      return `(?:${forms.join('|')})`;
    })
    .join('');
}

/** The compiled pattern of a list of secrets and the list it was built from: rebuilt only when the list changed (OAuth tokens rotate in place). */
const patterns = new WeakMap<readonly string[], [string, RegExp | undefined]>();

function patternOf(secrets: readonly string[]): RegExp | undefined {
  const key = secrets.join('\n');
  const cached = patterns.get(secrets);
  if (cached?.[0] === key) return cached[1];
  // Longest first, so a secret that contains another is replaced whole.
  const usable = [...new Set(secrets)].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const pattern = usable.length === 0 ? undefined : new RegExp(usable.map(secretPattern).join('|'), 'gi');
  patterns.set(secrets, [key, pattern]);
  return pattern;
}

/** Every encoded form of a character has one of these: without them, only raw secrets can occur. */
const ENCODED = /[%+\\]/;

/** Replaces every occurrence of each secret, in any encoding, in `text` with `[REDACTED]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  if (!ENCODED.test(text) && !secrets.some((secret) => secret.length >= MIN_SECRET_LENGTH && text.includes(secret))) return text;
  const pattern = patternOf(secrets);
  return pattern === undefined ? text : text.replace(pattern, REDACTED);
}
