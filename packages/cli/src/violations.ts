/** One entry of Prism's `sl-violations` header. */
interface Violation {
  location?: (string | number)[];
  message?: string;
}

/** One whole violation object inside a header that Prism cut short. */
const WHOLE_VIOLATION = /\{"location":\[[^\]]*\],"severity":"[^"]*","code":"[^"]*","message":"(?:[^"\\]|\\.)*"\}/g;

/**
 * The violations of Prism's `sl-violations` header: a JSON array, or, past Prism's size limit,
 * `Too many violations! [...` cut mid-array, of which every whole entry is kept.
 */
function parseViolations(header: string): Violation[] {
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return (header.match(WHOLE_VIOLATION) ?? []).map((entry) => JSON.parse(entry) as Violation);
  }
}

/** Readable messages from Prism's `sl-violations` header, in Prism's order without repeats; [] when absent or unreadable. */
export function violationMessages(header: string | string[] | undefined): string[] {
  if (typeof header !== 'string') return [];
  const messages = parseViolations(header).map((v) => {
    const where = (v.location ?? []).slice(2).join('.');
    const message = String(v.message ?? 'invalid request');
    return where && !message.includes(where) ? `${message} (${(v.location ?? []).slice(1).join('.')})` : message;
  });
  return [...new Set(messages)];
}

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Keys that carry an error's human text, in the order providers use them. */
const TEXT_KEYS = ['detail', 'message', 'error', 'description', 'error_description'];

/** The first key of `entry` that carries its text. */
const textKey = (entry: Record<string, unknown>) => TEXT_KEYS.find((key) => typeof entry[key] === 'string');

/**
 * The provider-shaped error body with its text replaced by the real problems: a string body becomes
 * the messages; an `errors` array gets one entry per message (shaped like its first entry, e.g.
 * Messente's `detail`, Amio's `message`); else the top-level text field (`message`, `error`, …).
 * Returns undefined when the body has no place for text (the `sl-violations` header still says it).
 */
export function withMessages(body: unknown, messages: readonly string[]): unknown {
  if (messages.length === 0) return undefined;
  if (typeof body === 'string') return messages.join('; ');
  if (!isObject(body)) return undefined;
  const errors = body.errors;
  const template = Array.isArray(errors) && isObject(errors[0]) ? errors[0] : undefined;
  const entryKey = template ? textKey(template) : undefined;
  if (template && entryKey) {
    return {
      ...body,
      errors: messages.map((message) => ({ ...template, [entryKey]: message, ...('field' in template ? { field: fieldOf(message) } : {}) })),
    };
  }
  const key = textKey(body);
  return key ? { ...body, [key]: messages.join('; ') } : undefined;
}

/** The property a message names (`… required property 'provider_number'`), else null. */
function fieldOf(message: string): string | null {
  return /property '([^']+)'/.exec(message)?.[1] ?? /\(body\.([^)]+)\)/.exec(message)?.[1] ?? null;
}
