// Every request example in the providers' docs (test/fixtures/<p>/requests.json, contract 7), sent
// to `msgkit mock` as written with only the origin swapped: the mock must answer the status the
// fixture records. A provider without its requests.json fails: the replay is not optional.
import { existsSync, readFileSync } from 'node:fs';
import { providers } from '@msgkit/cli';
import { describe, expect, inject, it } from 'vitest';

/** One documented request (see DEVELOPERS.md, "Doc request replay fixtures"). */
interface DocRequest {
  docLine: number;
  source: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  repaired?: string;
}

const mockUrls = inject('mockUrls');
/** Headers fetch sets itself from the URL and body. */
const COMPUTED = ['host', 'content-length'];

function fixturesOf(provider: string): DocRequest[] | undefined {
  const file = new URL(`../fixtures/${provider}/requests.json`, import.meta.url);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** The documented URL with the mock's origin instead of the provider's. */
function onMock(url: string, mock: string): string {
  const documented = new URL(url);
  return new URL(`${documented.pathname}${documented.search}`, mock).toString();
}

for (const { name } of providers.filter((p) => mockUrls[p.name] !== undefined)) {
  const requests = fixturesOf(name);
  describe(`${name}: documented requests replayed against the mock`, () => {
    it('has test/fixtures/<provider>/requests.json with at least one request', () => {
      expect(requests, `test/fixtures/${name}/requests.json is missing`).toBeDefined();
      expect(requests?.length).toBeGreaterThan(0);
    });
    for (const request of requests ?? []) {
      it(`${request.method} ${request.url} (${request.source}, line ${request.docLine})`, async () => {
        const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([key]) => !COMPUTED.includes(key.toLowerCase())));
        const json = request.body !== undefined && typeof request.body !== 'string';
        if (json && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
        const body = request.body === undefined ? undefined : json ? JSON.stringify(request.body) : String(request.body);
        const answer = await fetch(onMock(request.url, mockUrls[name] ?? ''), { method: request.method, headers, body });
        expect(answer.status, `the mock answered: ${(await answer.text()).slice(0, 500)}`).toBe(request.status);
      });
    }
  });
}
