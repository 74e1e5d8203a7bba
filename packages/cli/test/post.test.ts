import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLoopback, postEvent } from '../src/post.js';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', { given: 'http://127.0.0.1:4012/dlr', want: true }],
    ['another 127/8 address', { given: 'http://127.1.2.3/x', want: true }],
    ['localhost', { given: 'https://localhost/x', want: true }],
    ['IPv6 loopback', { given: 'http://[::1]:8080/x', want: true }],
    ['a public host from a doc example', { given: 'https://example.com/messente/dlr', want: false }],
    ['a private address', { given: 'http://10.0.0.1/x', want: false }],
    ['a host that only starts like loopback', { given: 'http://127.0.0.1.example.com/x', want: false }],
    ['not a URL', { given: 'not a url', want: false }],
  ])('%s', (_, { given, want }) => {
    expect(isLoopback(given)).toBe(want);
  });
});

describe('postEvent with loopbackOnly', () => {
  it('sends nothing to a host off this machine and says why', async () => {
    const result = await postEvent('https://example.com/messente/dlr', '{}', {}, { loopbackOnly: true });
    expect(result).toMatchObject({ status: undefined, detail: expect.stringContaining('only to 127.0.0.1') });
  });

  it('delivers to a receiver on 127.0.0.1', async () => {
    const bodies: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await postEvent(`http://127.0.0.1:${port}/hook`, '{"a":1}', {}, { loopbackOnly: true });
      expect({ status: result.status, bodies }).toEqual({ status: 200, bodies: ['{"a":1}'] });
    } finally {
      server.close();
    }
  });
});
