import { deref } from '@msgkit/spec';
import type { AuthRefusal } from './auth.js';
import { findOperation } from './operations.js';
import type { ProxyAnswer, ProxyRequest } from './proxy.js';
import { fillPlaceholders } from './realistic.js';
import { violationMessages, withMessages } from './violations.js';

type Doc = Record<string, any>;

/** JSON Schema of an operation's answer for a status (exact, then `4XX`-style, then `default`). */
function responseSchema(doc: Doc, operation: Doc | undefined, status: number): unknown {
  const responses = operation?.responses ?? {};
  const response = deref(doc, responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default);
  const content = response?.content ?? {};
  const media = content['application/json'] ?? Object.entries(content).find(([type]) => type.includes('json'))?.[1];
  return media?.schema;
}

function parseJson(bytes: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return undefined;
  }
}

/**
 * Rewrites Prism's answers: a 4xx names the real problem (the credentials refusal, else Prism's
 * `sl-violations`, e.g. "Request body must have required property 'provider_number'") in the
 * provider's error shape; a success has its placeholder values (`{{MESSAGE_ID}}`, `...`, `string`,
 * lorem ipsum, and with `dynamic` every generated word) replaced with realistic ones.
 */
export function createAnswerRewriter(doc: Doc, { dynamic = false } = {}) {
  return (answer: ProxyAnswer, request: ProxyRequest, refusal: AuthRefusal | undefined): ProxyAnswer => {
    const parsed = parseJson(answer.body);
    if (!parsed) return answer;
    let value: unknown;
    if (answer.status >= 400 && answer.status < 500) {
      value = withMessages(parsed.value, refusal && answer.status === 401 ? [refusal.reason] : violationMessages(answer.headers['sl-violations']));
    } else if (answer.status < 300) {
      const operation = findOperation(doc, request.method, request.path)?.operation;
      value = fillPlaceholders(doc, responseSchema(doc, operation, answer.status), parsed.value, { generated: dynamic });
    }
    if (value === undefined) return answer;
    const body = Buffer.from(JSON.stringify(value));
    return body.equals(answer.body) ? answer : { ...answer, body };
  };
}
