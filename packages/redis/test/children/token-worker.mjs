// One worker of a fleet that calls an API with an OAuth client-credentials token shared through Redis.
// On 'go' it starts `calls` concurrent API calls and reports their statuses and the token-store warnings.
// argv: <redis url> <key prefix> <token url> <api url> <calls>.
import { redisTokenStore } from '@msgkit/redis';
import { createClient } from 'redis';

const [url, prefix, tokenUrl, apiUrl, calls] = process.argv.slice(2);
const CLIENT_ID = 'worker-client';
const CLIENT_SECRET = 'worker-secret-Zq9';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: 100 } });
redis.on('error', () => {}); // a dropped connection is reported by each store call (RedisStoreError)
await redis.connect();
const tokenStore = redisTokenStore(redis, { prefix, timeoutMs: 1000 });
const warnings = [];
const onTokenStoreError = (error) => warnings.push(String(error));

async function requestToken() {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  const body = await response.json();
  return { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}

// Stand-in for core's clientCredentialsAuth with the `tokenStore` option of contract 4, until it lands in core.
// After the merge this function becomes (import from '@msgkit/core'):
//   const auth = clientCredentialsAuth({ tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenStore, onTokenStoreError });
//   const getToken = () => auth.getToken();
const KEY = `${tokenUrl} ${CLIENT_ID}`;
async function getToken() {
  try {
    for (;;) {
      const stored = await tokenStore.get(KEY);
      if (stored) return stored.accessToken;
      const release = await tokenStore.lock(KEY, 10_000);
      if (release) {
        try {
          const again = await tokenStore.get(KEY);
          if (again) return again.accessToken;
          const token = await requestToken();
          await tokenStore.set(KEY, token);
          return token.accessToken;
        } finally {
          await release();
        }
      }
      await sleep(20); // another process is fetching the token
    }
  } catch (error) {
    onTokenStoreError(error);
    return (await requestToken()).accessToken;
  }
}

async function call() {
  const response = await fetch(apiUrl, { headers: { authorization: `Bearer ${await getToken()}` } });
  return response.status;
}

process.on('message', async (message) => {
  if (message !== 'go') return;
  const statuses = await Promise.all(Array.from({ length: Number(calls) }, () => call().catch((error) => String(error))));
  process.send({ statuses, warnings });
});
process.send({ ready: true });
