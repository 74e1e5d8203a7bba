import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toNodeHandler } from '@msgkit/core/webhooks';
import * as vollyWebhooks from '@msgkit/volly/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEvent, findProvider, loadJwtKeys, UsageError } from '../src/index.js';
import { runCli } from './helpers.js';

const pair = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
/** Volly signs with its key pair; you decrypt with yours. */
const volly = pair();
const you = pair();
const dir = mkdtempSync(join(tmpdir(), 'msgkit-jwt-'));
const keysFile = join(dir, 'keys.json');
writeFileSync(keysFile, JSON.stringify({ signingKey: volly.privateKey, encryptionKey: you.publicKey }));

const handled: unknown[] = [];
let url = '';
let close: () => void;

beforeAll(async () => {
  const handle = toNodeHandler({
    parse: (raw, headers) =>
      vollyWebhooks.parseVollyWebhook(raw, headers, {
        jwt: { decryptionKey: createPrivateKey(you.privateKey), verificationKey: createPublicKey(volly.publicKey) },
      }),
    handler: (event) => void handled.push(event),
  });
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/volly`;
  close = () => server.close();
});
afterAll(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

describe('msgkit webhooks trigger volly --jwt-keys', () => {
  it('sends the event as a {"jwt": ...} envelope that parseVollyWebhook decrypts and verifies', async () => {
    const result = await runCli(['webhooks', 'trigger', 'volly', 'email.opened', '--to', url, '--jwt-keys', keysFile]);
    expect(result.code).toBe(0);
    // The example's event with a fresh `email` id and time `at` (see trigger.test.ts).
    const { email, at: _at, ...example } = Object.values(findEvent(findProvider('volly'), 'email.opened').examples)[0] as Record<string, unknown>;
    expect(handled.at(-1)).toEqual({ ...example, at: expect.stringMatching(/^\d{4}-/), email: expect.stringMatching(/^\d+$/) });
    expect((handled.at(-1) as Record<string, unknown>).email).not.toBe(email);
  });

  it('sends plain JSON without --jwt-keys, which a receiver expecting envelopes refuses', async () => {
    const result = await runCli(['webhooks', 'trigger', 'volly', 'email.opened', '--to', url]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/400 .*must arrive as a \{\\"jwt\\": \.\.\.\} envelope/);
  });

  it.each([
    ['a missing file', { given: () => join(dir, 'nope.json'), error: /no such file/ }],
    ['a file that is not JSON', { given: () => write('bad.json', 'signingKey='), error: /not a JSON file/ }],
    [
      'a missing encryptionKey',
      { given: () => write('half.json', JSON.stringify({ signingKey: volly.privateKey })), error: /"encryptionKey" must be a public key/ },
    ],
    [
      'a public key where the private one belongs',
      {
        given: () => write('swap.json', JSON.stringify({ signingKey: volly.publicKey, encryptionKey: you.publicKey })),
        error: /"signingKey" is not a private key in PEM form/,
      },
    ],
  ])('refuses %s without printing key material', (_, { given, error }) => {
    const file = given();
    expect(() => loadJwtKeys(file)).toThrow(UsageError);
    expect(() => loadJwtKeys(file)).toThrow(error);
    expect(() => loadJwtKeys(file)).not.toThrow(/BEGIN/);
  });

  it('refuses --jwt-keys for a provider that does not use them (exit 2)', async () => {
    const result = await runCli(['webhooks', 'trigger', 'amio', 'message_echo', '--to', url, '--jwt-keys', keysFile]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/amio signs with --secret; --jwt-keys does not apply/);
  });
});

function write(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}
