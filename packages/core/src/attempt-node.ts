import { type AttemptControl, MAX_TIMER_MS } from './attempt.js';
import type { SignalLike } from './request.js';

/** Aborts `control` as timed out: a module function, so no attempt allocates a closure for its timer. */
function expire(control: LightControl): void {
  control.expired = true;
  control.abort(new Error('timeout'));
}

/**
 * An attempt's signal without `AbortController` and `EventTarget` (which cost more than the rest of an attempt's
 * bookkeeping on Node): it is its own signal, which undici's dispatcher API reads as is (`toAbortSignal` makes a
 * real one where a fetch needs it). Aborts when the caller's signal (if any) aborts or when its time is up.
 */
class LightControl implements AttemptControl, SignalLike {
  aborted = false;
  reason: unknown;
  /** True once the time ran out. */
  expired = false;
  #listeners: (() => void)[] = [];
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #caller: SignalLike | undefined;
  readonly #onAbort: (() => void) | undefined;

  constructor(caller: SignalLike | undefined, ms: number) {
    this.#timer = ms > MAX_TIMER_MS ? undefined : setTimeout(expire, Math.max(0, ms), this);
    if (caller === undefined) return;
    this.#caller = caller;
    this.#onAbort = () => this.abort(caller.reason);
    if (caller.aborted) this.#onAbort();
    else caller.addEventListener('abort', this.#onAbort, { once: true });
  }

  get signal(): SignalLike {
    return this;
  }

  timedOut(): boolean {
    return this.expired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    if (this.#onAbort) this.#caller?.removeEventListener('abort', this.#onAbort);
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.#listeners.indexOf(listener);
    if (index !== -1) this.#listeners.splice(index, 1);
  }

  /** Aborts with `reason` and calls every listener once. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    for (const listener of this.#listeners.splice(0)) listener();
  }
}

/** The Node entry's attempt control: one timer, one listener, no AbortController. */
export const lightControl = (caller: SignalLike | undefined, ms: number): AttemptControl => new LightControl(caller, ms);
