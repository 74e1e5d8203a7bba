import type { IncomingHttpHeaders } from 'node:http';
import { deref } from '@msgkit/spec';

type Doc = Record<string, any>;

/** The parts of a request its credentials can be in. */
export interface CredentialSources {
  /** Request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** Query parameters. */
  query: URLSearchParams;
}

/** Why a request's credentials do not meet the operation's security, and which credential parts to drop before Prism sees it. */
export interface AuthRefusal {
  /** One sentence naming what the documented scheme expects. */
  reason: string;
  /** Header names (lower case) that carry credentials. */
  headers: string[];
  /** Query parameter names that carry credentials. */
  query: string[];
}

/** The scheme word an `Authorization` API-key header needs, from its description (`` `Authorization: Basic <api-key>` ``). */
function authorizationPrefix(scheme: Doc): string | undefined {
  return /`Authorization:\s*([A-Za-z]+)\s/.exec(String(scheme.description ?? ''))?.[1];
}

/** What one scheme expects, for the refusal message. */
function expectation(name: string, scheme: Doc): string {
  if (scheme.type === 'http') return `Authorization: ${scheme.scheme === 'bearer' ? 'Bearer' : 'Basic'} <credentials>`;
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return 'Authorization: Bearer <access token>';
  if (scheme.type === 'apiKey') {
    const prefix = scheme.name?.toLowerCase() === 'authorization' ? authorizationPrefix(scheme) : undefined;
    const placeholder = prefix ? 'api key' : scheme.name;
    const value = `${prefix ? `${prefix} ` : ''}<${placeholder}>`;
    return scheme.in === 'query' ? `?${scheme.name}=<${placeholder}>` : scheme.in === 'cookie' ? `cookie ${scheme.name}` : `${scheme.name}: ${value}`;
  }
  return `${name} (${scheme.type})`;
}

/** The `Authorization` header's scheme word and credentials. */
function authorization(headers: IncomingHttpHeaders): { scheme: string; credentials: string } | undefined {
  const match = /^(\S+)\s+(\S.*)$/.exec(String(headers.authorization ?? '').trim());
  return match ? { scheme: match[1]?.toLowerCase() ?? '', credentials: match[2] ?? '' } : undefined;
}

/** True when the request carries what one scheme needs. mutualTLS cannot be presented over the mock's plain HTTP, so it passes. */
function satisfies(scheme: Doc, request: CredentialSources): boolean {
  const auth = authorization(request.headers);
  if (scheme.type === 'http') return auth?.scheme === String(scheme.scheme).toLowerCase();
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return auth?.scheme === 'bearer';
  if (scheme.type === 'apiKey') {
    if (scheme.in === 'query') return Boolean(request.query.get(scheme.name));
    if (scheme.in === 'cookie') return new RegExp(`(?:^|;\\s*)${scheme.name}=`).test(String(request.headers.cookie ?? ''));
    const value = request.headers[String(scheme.name).toLowerCase()];
    if (!value) return false;
    const prefix = scheme.name?.toLowerCase() === 'authorization' ? authorizationPrefix(scheme) : undefined;
    return prefix === undefined || auth?.scheme === prefix.toLowerCase();
  }
  return true;
}

/**
 * Checks a request against the operation's security requirements (its own `security`, else the
 * document's): one requirement object must be met in full. Stricter than Prism, which only checks
 * that an `Authorization` header is present: the scheme word must be the documented one (Olly's
 * `Basic`, Volly's `Key`) and every scheme of the requirement must be there (Volly's OAuth token
 * with its `client_id` header).
 */
export function checkCredentials(doc: Doc, operation: Doc, request: CredentialSources): AuthRefusal | undefined {
  const requirements: Record<string, unknown>[] = operation.security ?? doc.security ?? [];
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) return undefined;
  const schemes = (names: string[]) => names.map((name) => [name, deref(doc, doc.components?.securitySchemes?.[name]) ?? {}] as const);
  if (requirements.some((r) => schemes(Object.keys(r)).every(([, scheme]) => satisfies(scheme, request)))) return undefined;
  const options = requirements.map((r) =>
    schemes(Object.keys(r))
      .map(([name, scheme]) => expectation(name, scheme))
      .join(' with '),
  );
  const all = requirements.flatMap((r) => schemes(Object.keys(r)).map(([, scheme]) => scheme));
  return {
    reason: `Missing or wrong credentials: send ${options.join(', or ')}.`,
    headers: [
      ...new Set(
        all.filter((s) => s.type !== 'apiKey' || s.in === 'header').map((s) => (s.type === 'apiKey' ? String(s.name).toLowerCase() : 'authorization')),
      ),
    ],
    query: all.filter((s) => s.type === 'apiKey' && s.in === 'query').map((s) => String(s.name)),
  };
}
