// One worker of a fleet that calls an API with an OAuth client-credentials token shared through Redis.
// On 'go' it starts `calls` concurrent API calls and reports their statuses and the token-store warnings.
// argv: <redis url> <key prefix> <token url> <api url> <calls>.
import { clientCredentialsAuth } from '@msgkit/core';
import { redisTokenStore } from '@msgkit/redis';
import { createClient } from 'redis';

const [url, prefix, tokenUrl, apiUrl, calls] = process.argv.slice(2);
const CLIENT_ID = 'worker-client';
const CLIENT_SECRET = 'worker-secret-Zq9';

const redis = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: 100 } });
redis.on('error', () => {}); // a dropped connection is reported by each store call (RedisStoreError)
await redis.connect();
const tokenStore = redisTokenStore(redis, { prefix, timeoutMs: 1000 });
const warnings = [];
const onTokenStoreError = (error) => warnings.push(String(error));

const auth = clientCredentialsAuth({ tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenStore, onTokenStoreError });
const getToken = () => auth.getToken();

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
