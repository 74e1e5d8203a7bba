import { readBody } from './body.js';
import { type OutgoingRequest, type Transport, toRequest } from './request.js';
import { BufferedResponse } from './response.js';

/**
 * The fetch transport (the edge entry's default, and whatever `fetch` a user passes): a real `Request`
 * per attempt, the body read once under `maxResponseBytes`, and a `Response` served from those bytes.
 */
export function fetchTransport(send: (request: Request) => Promise<Response>): Transport {
  return async (request: OutgoingRequest, maxResponseBytes, what) => {
    const response = await send(toRequest(request));
    const body = await readBody(response, maxResponseBytes, what);
    return new BufferedResponse(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The default fetch transport: `globalThis.fetch`, looked up at each call (so a runtime or test may replace it). */
export const globalFetchTransport: Transport = fetchTransport((request) => globalThis.fetch(request));
