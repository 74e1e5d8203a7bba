// The local server the scenario's clients call: it records what each request carried and answers from
// a table keyed by `METHOD /path`, on 127.0.0.1 and a free port.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw of one request. */
export interface Seen {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The headers that carry auth and the body's type (absent ones left out). */
  headers: Record<string, string>;
  /** The body: parsed when JSON, else the text; absent when empty. */
  body?: unknown;
}

/** An answer of the server. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A running recording server. */
export interface RecordingServer {
  origin: string;
  seen: Seen[];
  close(): Promise<void>;
}

const RECORDED_HEADERS = ['authorization', 'client_id', 'content-type'];

async function record(request: IncomingMessage): Promise<Seen> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers = Object.fromEntries(
    RECORDED_HEADERS.filter((name) => request.headers[name] !== undefined).map((name) => [name, String(request.headers[name])]),
  );
  const seen: Seen = { method: request.method ?? '', url: request.url ?? '', headers };
  if (text !== '') seen.body = /json/.test(headers['content-type'] ?? '') ? JSON.parse(text) : text;
  return seen;
}

/** Starts the server; requests missing from `answers` get a 404 (and are recorded all the same). */
export async function startRecordingServer(answers: Record<string, Answer>): Promise<RecordingServer> {
  const seen: Seen[] = [];
  const server = createServer(async (request, response) => {
    const entry = await record(request);
    seen.push(entry);
    const answer = answers[`${entry.method} ${entry.url.split('?')[0]}`] ?? { status: 404, body: { error: `no answer for ${entry.method} ${entry.url}` } };
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
