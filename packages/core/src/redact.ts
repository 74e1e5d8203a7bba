/** Query parameters whose values are credentials and never appear in errors or logs. */
const SECRET_PARAMS = ['access_token', 'key', 'api_key', 'apikey', 'token', 'client_secret', 'password', 'secret'];

/** Headers whose values are credentials and never appear in errors or logs. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'client_secret'];

/** What credentials are replaced with in errors and logs. */
export const REDACTED = '[REDACTED]';

/** A URL with every credential-bearing query parameter value replaced by `[REDACTED]`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/([?&](?:access_token|key|api_key|apikey|token|client_secret|password|secret)=)[^&#]*/gi, `$1${REDACTED}`);
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.includes(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** A plain object of headers with credential-bearing values replaced by `[REDACTED]`. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SECRET_HEADERS.includes(name.toLowerCase()) ? REDACTED : value;
  });
  return out;
}

/** Replaces every occurrence of each secret in `text` with `[REDACTED]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** `value` with every secret replaced by `[REDACTED]` in each string it holds (parsed JSON: strings, arrays, objects). */
export function scrubDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrub(key, secrets), scrubDeep(item, secrets)]));
  }
  return value;
}
