// What the per-provider lifecycle rules share.
import { randomBytes } from 'node:crypto';
import type { Exchange } from '../proxy.js';

/** True for a plain JSON object. */
export const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);
/** True when the mock answered 2xx. */
export const ok = (exchange: Exchange) => exchange.status >= 200 && exchange.status < 300;
/** True when the exchange called this operation (by operationId, so the rule holds whatever the spec's path layout). */
export const called = (exchange: Exchange, operationId: string) => exchange.operationId === operationId;
/** `n` random decimal digits (ids shaped like the provider's). */
export const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
/** The current time, ISO 8601. */
export const now = () => new Date().toISOString();
