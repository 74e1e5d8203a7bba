import { afterEach, describe, expect, it } from 'vitest';
import { type Exchange, type ProxyServer, startProxy } from '../src/index.js';
import { closedPort, startReceiver } from './helpers.js';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function proxyTo(target: string, onExchange: (exchange: Exchange) => unknown = () => {}): Promise<ProxyServer> {
  const proxy = await startProxy({ target, onExchange });
  running.push(proxy);
  return proxy;
}

describe('the observing proxy of msgkit mock --deliver', () => {
  it('forwards method, path, query, headers and body unchanged, answers with the upstream answer, then reports the exchange', async () => {
    const upstream = await startReceiver(() => 201);
    running.push(upstream);
    const exchanges: Exchange[] = [];
    const proxy = await proxyTo(upstream.url, (exchange) => exchanges.push(exchange));
    const body = JSON.stringify({ number: '+16208039306' });
    const answer = await fetch(`${proxy.url}/api/message?x=1`, {
      method: 'POST',
      headers: { authorization: 'Basic k', 'content-type': 'application/json' },
      body,
    });

    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({});
    const [request] = upstream.received;
    expect(request?.path).toBe('/api/message?x=1');
    expect(request?.headers.authorization).toBe('Basic k');
    expect(request?.body.toString()).toBe(body);
    await expect.poll(() => exchanges.length).toBe(1);
    expect(exchanges[0]).toMatchObject({ method: 'POST', path: '/api/message', status: 201, requestBody: { number: '+16208039306' }, responseBody: {} });
    expect(exchanges[0]?.query.get('x')).toBe('1');
  });

  it('reports a body that is not JSON as undefined', async () => {
    const upstream = await startReceiver(() => 200);
    running.push(upstream);
    const exchanges: Exchange[] = [];
    const proxy = await proxyTo(upstream.url, (exchange) => exchanges.push(exchange));
    await fetch(`${proxy.url}/x`, { method: 'POST', body: 'not json' });
    await expect.poll(() => exchanges.length).toBe(1);
    expect(exchanges[0]?.requestBody).toBeUndefined();
  });

  it('answers 502 when the mock behind it is gone', async () => {
    const proxy = await proxyTo(`http://127.0.0.1:${await closedPort()}`);
    const answer = await fetch(`${proxy.url}/api/message`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(502);
    expect(await answer.text()).toMatch(/did not answer/);
  });

  it('keeps answering when reporting an exchange fails', async () => {
    const upstream = await startReceiver(() => 200);
    running.push(upstream);
    const errors: unknown[] = [];
    const proxy = await startProxy({
      target: upstream.url,
      onExchange: () => {
        throw new Error('observer broke');
      },
      onError: (error) => errors.push(error),
    });
    running.push(proxy);
    expect((await fetch(`${proxy.url}/a`)).status).toBe(200);
    expect((await fetch(`${proxy.url}/b`)).status).toBe(200);
    await expect.poll(() => errors.length).toBe(2);
  });
});
