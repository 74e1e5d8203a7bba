import type { SignalLike } from './request.js';

/** An attempt's signal and its timer: what the retry loop and the OAuth token request hold while a request is out. */
export interface AttemptControl {
  /** Aborts when the caller's signal (if any) aborts or when the time is up. */
  readonly signal: SignalLike;
  /** True once the time ran out. */
  timedOut(): boolean;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

/** Makes an attempt's control from the caller's signal (if any) and the time left, in milliseconds. */
export type Controller = (caller: SignalLike | undefined, ms: number) => AttemptControl;

/** Largest delay `setTimeout` honours; longer timeouts mean "no deadline". */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * An `AbortController` that aborts when the caller's signal (if any) aborts or when `ms` pass: what fetch takes
 * as is (the edge entry's attempts and the OAuth token request). The Node entry's attempts use `lightControl`.
 */
export const abortControl = (caller: SignalLike | undefined, ms: number): AttemptControl & { signal: AbortSignal } => {
  const controller = new AbortController();
  let expired = false;
  const onAbort = () => controller.abort(caller?.reason);
  const timer =
    ms > MAX_TIMER_MS
      ? undefined
      : setTimeout(
          () => {
            expired = true;
            controller.abort(new Error('timeout'));
          },
          Math.max(0, ms),
        );
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
};
