// One observed fetch for every package's tests (after openapi-fetch's test/helpers.ts
// `createObservedClient`): nothing is mocked, the client under test gets this fetch injected,
// every request is recorded as plain data and answered from a queue, a table or a function.

/** One request as the observed fetch received it. */
export interface ObservedRequest {
  method: string;
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as text ('' when there is none). */
  body: string;
  /** The body parsed as JSON; undefined when there is none or it is not JSON. */
  json: unknown;
  /** The request itself (its body already read), for what the fields above leave out. */
  request: Request;
}

/** How one request is answered: a response, an error the fetch throws, or a function of the request (n counts from 0). */
export type Answer = Response | Error | ((request: Request, n: number) => Response | Error | Promise<Response>);

/**
 * What the fetch answers: one `Answer` for every request, a queue (one per request, in order),
 * or a table keyed by `'METHOD /path'` or `'/path'` (path without the query).
 */
export type Answers = Answer | Answer[] | { [route: string]: Answer };

/** A fetch the client under test gets injected, and the requests it saw. */
export interface ObservedFetch {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  requests: ObservedRequest[];
}

const isAnswer = (value: unknown): value is Answer => value instanceof Response || value instanceof Error || typeof value === 'function';

function pick(answers: Answers, request: Request, n: number): Answer {
  if (isAnswer(answers)) return answers;
  if (Array.isArray(answers)) {
    const next = answers[n];
    if (!next) throw new Error(`observed fetch: no answer for request ${n + 1} (${request.method} ${request.url}); ${answers.length} given`);
    return next;
  }
  const path = new URL(request.url).pathname;
  const answer = answers[`${request.method} ${path}`] ?? answers[path];
  if (!answer) throw new Error(`observed fetch: no answer for ${request.method} ${path} (table has ${Object.keys(answers).join(', ')})`);
  return answer;
}

/** A fetch that records every request and answers it from `answers` (default: 200 `{}`). */
export function observedFetch(answers: Answers = () => Response.json({})): ObservedFetch {
  const requests: ObservedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    const body = await request.clone().text();
    const n = requests.length;
    requests.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body, json: parseJson(body), request });
    const answer = pick(answers, request, n);
    // A queue entry is answered once; a response answering several requests is cloned for each.
    const given = typeof answer === 'function' ? await answer(request, n) : Array.isArray(answers) || !(answer instanceof Response) ? answer : answer.clone();
    if (given instanceof Error) throw given;
    return given;
  };
  return { fetch, requests };
}

function parseJson(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A client made by `create` with the observed fetch injected, and the requests it sent. */
export function observedClient<Options extends { fetch?: unknown }, Client>(
  create: (options: Options) => Client,
  options: Omit<Options, 'fetch'>,
  answers?: Answers,
): { client: Client; requests: ObservedRequest[] } {
  const { fetch, requests } = observedFetch(answers);
  return { client: create({ ...options, fetch } as Options), requests };
}
