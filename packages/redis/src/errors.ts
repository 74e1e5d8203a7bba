import { MsgkitError } from '@msgkit/core/errors';

/**
 * Redis did not answer, answered with an error, or held a value this store did not write. The webhook adapters
 * answer it with a 5xx (the provider redelivers); client-credentials auth falls back to a direct token request.
 */
export class RedisStoreError extends MsgkitError {
  override name = 'RedisStoreError';
}
