/** Headers as Node (`IncomingHttpHeaders`), Express, fetch (`Headers`) or a plain object give them. */
export type HeadersLike = Headers | Record<string, string | readonly string[] | undefined>;

/** Reads one header case-insensitively from any `HeadersLike`; repeated values are joined with `, `. */
export function getHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}
