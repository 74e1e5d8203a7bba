import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AuthRefusal } from './auth.js';

/** One request that went through the proxy, and the answer it got. */
export interface Exchange {
  /** HTTP method, upper case. */
  method: string;
  /** Path without the query, e.g. `/api/message`. */
  path: string;
  /** Query parameters. */
  query: URLSearchParams;
  /** Request headers as received. */
  requestHeaders: IncomingHttpHeaders;
  /** Request body, parsed when it is JSON, else undefined. */
  requestBody: unknown;
  /** Status the upstream answered. */
  status: number;
  /** Response body, parsed when it is JSON, else undefined. */
  responseBody: unknown;
  /** The spec operation it called, when the mock knows it. */
  operationId?: string;
  /** Its path parameters by name (decoded), when the mock knows the operation. */
  pathParams?: Record<string, string>;
}

/** A request as the proxy received it. */
export interface ProxyRequest {
  /** HTTP method, upper case. */
  method: string;
  /** Path without the query. */
  path: string;
  /** Query parameters. */
  query: URLSearchParams;
  /** Request headers as received. */
  headers: IncomingHttpHeaders;
}

/** An answer of the target, before the client sees it. */
export interface ProxyAnswer {
  /** HTTP status. */
  status: number;
  /** Response headers (hop-by-hop ones removed). */
  headers: IncomingHttpHeaders;
  /** Response body bytes. */
  body: Buffer;
}

/** Options of `startProxy`. */
export interface ProxyOptions {
  /** Base URL requests are forwarded to, e.g. Prism's `http://127.0.0.1:45123`. */
  target: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Called after each answer has been sent to the client. Errors it throws are passed to `onError`. */
  onExchange(exchange: Exchange): unknown;
  /** Checks a request's credentials; on a refusal they are removed before forwarding, so the target answers its documented 401. */
  authorize?(request: ProxyRequest): AuthRefusal | undefined;
  /** Rewrites the target's answer before the client sees it (given the refusal, if the request was refused). */
  rewrite?(answer: ProxyAnswer, request: ProxyRequest, refusal: AuthRefusal | undefined): ProxyAnswer;
  /** Reports a failing `onExchange` (default: printed to stderr). */
  onError?(error: unknown): void;
}

/** A running proxy. */
export interface ProxyServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The underlying node:http server. */
  server: Server;
  /** Stops accepting connections and closes open ones. */
  stop(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name.toLowerCase())));
}

/**
 * An HTTP proxy on 127.0.0.1 in front of each Prism: forwards every request to `target` (without its
 * credentials when `authorize` refuses them), answers with the target's answer (after `rewrite`), and
 * then reports the exchange to `onExchange`: how `msgkit mock` enforces the documented auth, names the
 * real problem in 4xx answers and sees what a client did, without touching Prism.
 */
export function startProxy(options: ProxyOptions): Promise<ProxyServer> {
  const target = new URL(options.target);
  const onError = options.onError ?? ((error: unknown) => console.error(`msgkit: ${error instanceof Error ? error.message : String(error)}`));
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const requestBytes = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', target);
      const request: ProxyRequest = {
        method: (incoming.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
      };
      const refusal = options.authorize?.(request);
      const headers: IncomingHttpHeaders = { ...withoutHopByHop(incoming.headers), host: url.host, 'content-length': String(requestBytes.length) };
      for (const name of refusal?.headers ?? []) delete headers[name];
      for (const name of refusal?.query ?? []) url.searchParams.delete(name);
      const upstream = httpRequest(url, { method: incoming.method, headers }, (response) => {
        const answerChunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        response.on('end', () => {
          const original: ProxyAnswer = { status: response.statusCode ?? 502, headers: withoutHopByHop(response.headers), body: Buffer.concat(answerChunks) };
          const answer = options.rewrite ? options.rewrite(original, request, refusal) : original;
          outgoing.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
          outgoing.end(answer.body);
          const exchange: Exchange = {
            method: request.method,
            path: url.pathname,
            query: new URL(incoming.url ?? '/', target).searchParams,
            requestHeaders: incoming.headers,
            requestBody: parseJson(requestBytes),
            status: answer.status,
            responseBody: parseJson(answer.body),
          };
          Promise.resolve()
            .then(() => options.onExchange(exchange))
            .catch(onError);
        });
      });
      upstream.on('error', (error) => {
        if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`msgkit proxy: the mock at ${target.origin} did not answer: ${error.message}`);
      });
      upstream.end(requestBytes);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
      resolve({
        url: `http://${options.host ?? '127.0.0.1'}:${port}`,
        port,
        server,
        stop: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
