// Takes a dedupe claim and a token lock, tells the parent, then hangs until it is killed (a crash while holding both).
// argv: <redis url> <prefix> <lease ms>
import { redisDedupeStore, redisTokenStore } from '@msgkit/redis';
import { createClient } from 'redis';

const [url, prefix, lease] = process.argv.slice(2);
const redis = await createClient({ url }).connect();
const claim = await redisDedupeStore(redis, { prefix }).claim('event-1', Number(lease));
const release = await redisTokenStore(redis, { prefix }).lock('client-a', Number(lease));
process.send?.({ claim: claim.status, locked: typeof release === 'function' });
setInterval(() => {}, 1000);
