import { readBody } from './body.js';
import { type OutgoingRequest, requestInit, type Transport, toRequest } from './request.js';
import { BufferedResponse } from './response.js';

/** The response with its whole body read once (under `maxResponseBytes`), served from those bytes. */
async function buffered(response: Response, maxResponseBytes: number, what: string): Promise<Response> {
  const body = await readBody(response, maxResponseBytes, what);
  return new BufferedResponse(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The transport of a user `fetch`: exactly what it always got, a real `Request` per attempt. */
export function fetchTransport(send: (request: Request) => Promise<Response>): Transport {
  return async (request: OutgoingRequest, maxResponseBytes, what) => buffered(await send(toRequest(request)), maxResponseBytes, what);
}

/**
 * The edge entry's default transport: `globalThis.fetch(url, init)`, looked up at each call (so a runtime or
 * a test may replace it), without building a `Request` that fetch would only copy.
 */
export const globalFetchTransport: Transport = async (request, maxResponseBytes, what) =>
  buffered(await globalThis.fetch(request.url, requestInit(request)), maxResponseBytes, what);
