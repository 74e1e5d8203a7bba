import type { Answer } from '@msgkit/testkit';

/** Volly as the observed fetch answers it: a token request gets `token-1`, `token-2`, …; any other request `answer`. */
export function vollyApi(answer: Answer = () => Response.json({ ok: true })): Answer {
  let tokens = 0;
  return (request, n) => {
    if (new URL(request.url).pathname === '/oauth/token') return Response.json({ access_token: `token-${++tokens}`, token_type: 'Bearer' });
    return typeof answer === 'function' ? answer(request, n) : answer;
  };
}
