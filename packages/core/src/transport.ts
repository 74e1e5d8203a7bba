import { readBody } from './body.js';
import { type OutgoingRequest, requestInit, type Transport, toRequest } from './request.js';
import { untilAborted } from './send.js';

/** Makes an attempt's response from its body (read once, under `maxResponseBytes`) and fetch's response (status, status text, headers). */
export type Respond = (body: Uint8Array | null, response: Response) => Response;

/** The edge entry's response: a native `Response` of the bytes (browsers, workers, Bun and Deno implement `Response` natively). */
export const nativeResponse: Respond = (body, { status, statusText, headers }) =>
  new Response(body as Uint8Array<ArrayBuffer> | null, { status, statusText, headers });

/** The fetch transports of an entry, answering with `respond` (the Node entry gives `BufferedResponse`, which skips Node's JS streams). */
export function fetchTransports(respond: Respond): { default: Transport; fromFetch: (send: (request: Request) => Promise<Response>) => Transport } {
  const buffered = async (response: Response, maxResponseBytes: number, what: () => string) =>
    respond(await readBody(response, maxResponseBytes, what), response);
  return {
    /**
     * `globalThis.fetch(url, init)`, looked up at each call (so a runtime or a test may replace it), without building
     * a `Request` that fetch would only copy. A runtime's fetch honours the signal (its body stream errors when it
     * aborts), so nothing else waits for it.
     */
    default: async (request, maxResponseBytes, what) => buffered(await globalThis.fetch(request.url, requestInit(request)), maxResponseBytes, what),
    /** The transport of a user `fetch`: exactly what it always got, a real `Request` per attempt; one that ignores the signal still ends at it. */
    fromFetch: (send) => (request: OutgoingRequest, maxResponseBytes, what) =>
      untilAborted(
        send(toRequest(request)).then((response) => buffered(response, maxResponseBytes, what)),
        request.signal,
      ),
  };
}
