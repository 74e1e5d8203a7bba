import { readBody } from './body.js';
import { type OutgoingRequest, requestInit, type Transport, toRequest } from './request.js';
import { BufferedResponse } from './response.js';
import { untilAborted } from './send.js';

/**
 * The response with its whole body read once (under `maxResponseBytes`), served from those bytes with the response's own
 * headers. On every entry: a `new Response(bytes)` would build a second body stream, which costs a call through Node's
 * fetch about 50 µs more.
 */
async function buffered(response: Response, maxResponseBytes: number, what: () => string): Promise<Response> {
  const body = await readBody(response, maxResponseBytes, what);
  return new BufferedResponse(body, response.status, response.statusText, response.headers);
}

/** The transport of a user `fetch`: exactly what it always got, a real `Request` per attempt; one that ignores the signal still ends at it. */
export function fetchTransport(send: (request: Request) => Promise<Response>): Transport {
  return (request: OutgoingRequest, maxResponseBytes, what) =>
    untilAborted(
      send(toRequest(request)).then((response) => buffered(response, maxResponseBytes, what)),
      request.signal,
    );
}

/**
 * The edge entry's default transport: `globalThis.fetch(url, init)`, looked up at each call (so a runtime or
 * a test may replace it), without building a `Request` that fetch would only copy. A runtime's fetch honours
 * the signal (its body stream errors when it aborts), so nothing else waits for it.
 */
export const globalFetchTransport: Transport = async (request, maxResponseBytes, what) =>
  buffered(await globalThis.fetch(request.url, requestInit(request)), maxResponseBytes, what);
