import type { Clock } from '../src/index.js';

type JsonResponse<T> = { 200: { content: { 'application/json': T } } };
type WithBody = { requestBody: { content: { 'application/json': { name: string } } }; responses: JsonResponse<{ id: string }> };

/** A small API for client tests: every method on `/things`. */
export type TestPaths = {
  '/things': {
    get: { parameters: { query?: { q?: string } }; responses: JsonResponse<{ id: string }[]> };
    post: WithBody;
    put: WithBody;
    patch: WithBody;
    delete: { responses: JsonResponse<{ deleted: boolean }> };
  };
};

/** What one fake fetch call does: answer, fail, or run a function of the request. */
export type Answer = Response | Error | ((request: Request) => Promise<Response>);

/** A fetch that records the requests it gets (cloned) and answers from a queue. */
export function fakeFetch(...answers: Answer[]) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request.clone());
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(request);
    return next;
  };
  return { fetch, seen };
}

/** A JSON response. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A network failure as undici reports it: `TypeError('fetch failed')` whose cause has a `code`. */
export const networkError = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code }) });

/** A clock whose time only moves when the retry loop sleeps (or `advance` is called); jitter is `random`. */
export function fakeClock(start = 1_700_000_000_000, random = 0.5) {
  let time = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => time,
    random: () => random,
    async sleep(ms, signal) {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      time += ms;
    },
  };
  const advance = (ms: number) => {
    time += ms;
  };
  return { clock, sleeps, advance };
}

/** Resolves to what `promise` rejects with, or to undefined when it resolves. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
