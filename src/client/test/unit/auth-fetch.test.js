import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createAuthFetch, memoryStore } from '../../src/index.js';
import { clock, deferred, fakeFetch, json, pair, settle, withPair } from './fakes.js';

const URL = 'http://127.0.0.1:1/graphql';
const query = (q = '{ loggedInUser { username } }') => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: q }),
});

function client({ stored = pair(), respond, now = clock(), ...options } = {}) {
  const fetch = fakeFetch(respond);
  const store = memoryStore(stored);
  const loggedOut = [];
  const authFetch = createAuthFetch({
    url: URL, store, fetch, now, crossTab: false, onLoggedOut: (event) => loggedOut.push(event.reason), ...options,
  });
  return { authFetch, fetch, store, loggedOut, now };
}

describe('headers', () => {
  it('adds the access token alone and keeps the caller headers given as an object', async () => {
    const stored = pair();
    const { authFetch, fetch } = client({ stored });
    await authFetch(URL, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Trace': 't1' }, body: '{}' });
    const [call] = fetch.calls;
    assert.equal(call.access, stored.accessToken);
    assert.equal(call.refresh, null, 'only the refreshing request carries the refresh token');
    assert.equal(call.headers.get('content-type'), 'application/json');
    assert.equal(call.headers.get('x-trace'), 't1');
    assert.equal(call.init.method, 'POST');
    assert.equal(call.init.body, '{}');
  });

  it('accepts init.headers as a Headers object or as an array of pairs', async () => {
    const { authFetch, fetch } = client();
    await authFetch(URL, { headers: new Headers({ accept: 'application/graphql-response+json' }) });
    await authFetch(URL, { headers: [['accept', 'application/json'], ['x-trace', 't2']] });
    assert.equal(fetch.calls[0].headers.get('accept'), 'application/graphql-response+json');
    assert.equal(fetch.calls[1].headers.get('accept'), 'application/json');
    assert.equal(fetch.calls[1].headers.get('x-trace'), 't2');
    assert.ok(fetch.calls.every((call) => call.access && call.refresh === null));
  });

  it('keeps the headers of a Request input, with init.headers winning', async () => {
    const { authFetch, fetch } = client();
    const request = new Request(URL, { method: 'POST', headers: { accept: 'text/plain', 'x-from-request': 'yes' }, body: '{}' });
    await authFetch(request, { headers: { accept: 'application/json' } });
    const [call] = fetch.calls;
    assert.equal(call.input, request);
    assert.equal(call.headers.get('x-from-request'), 'yes');
    assert.equal(call.headers.get('accept'), 'application/json');
    assert.ok(call.access);
  });

  it('sends no token headers when logged out, and passes the caller headers unchanged', async () => {
    const { authFetch, fetch } = client({ stored: null });
    await authFetch(URL, { headers: { accept: 'application/json' } });
    const [call] = fetch.calls;
    assert.equal(call.access, null);
    assert.equal(call.refresh, null);
    assert.equal(call.headers.get('accept'), 'application/json');
  });

  it('returns the response unread: the caller still reads the body', async () => {
    const { authFetch } = client({ respond: () => json({ errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] }) });
    const response = await authFetch(URL, query());
    assert.equal((await response.json()).errors[0].extensions.code, 'UNAUTHENTICATED');
  });
});

describe('rotated pairs', () => {
  it('stores the pair a response carries and sends it next', async () => {
    const next = pair({ gen: 2, iat: 1_001 });
    const { authFetch, fetch, store } = client({
      respond: (call) => (fetch.calls.length === 1 ? json({ data: {} }, { headers: withPair(next) }) : json({ data: {} })),
    });
    await authFetch(URL, query());
    assert.equal(store.get().accessToken, next.accessToken);
    await authFetch(URL, query());
    assert.equal(fetch.calls[1].access, next.accessToken);
    assert.equal(fetch.calls[1].refresh, null);
  });

  it('never puts an older pair over a newer one when responses arrive out of order', async () => {
    const gen2 = pair({ gen: 2, iat: 1_005 });
    const gen3 = pair({ gen: 3, iat: 1_010 });
    const held = [deferred(), deferred()];
    const { authFetch, fetch, store } = client({ respond: () => held[fetch.calls.length - 1].promise });
    const first = authFetch(URL, query());
    const second = authFetch(URL, query());
    await settle();
    held[1].resolve(json({ data: {} }, { headers: withPair(gen3) }));
    await second;
    held[0].resolve(json({ data: {} }, { headers: withPair(gen2) }));
    await first;
    assert.equal(store.get().accessToken, gen3.accessToken);
  });

  it('orders by generation, not by issue time', async () => {
    const stored = pair({ gen: 5, iat: 1_000 });
    const olderGenerationIssuedLater = pair({ gen: 4, iat: 1_050 });
    const { authFetch, store } = client({ stored, respond: () => json({ data: {} }, { headers: withPair(olderGenerationIssuedLater) }) });
    await authFetch(URL, query());
    assert.equal(store.get().accessToken, stored.accessToken);
  });

  it('ignores a rotated pair of another session: a new login is not undone by a late response', async () => {
    const held = deferred();
    const { authFetch, store } = client({ stored: pair({ sid: 'old' }), respond: () => held.promise });
    const pending = authFetch(URL, query());
    await settle();
    const fresh = pair({ sid: 'new', iat: 1_002 });
    authFetch.setTokens(fresh);
    held.resolve(json({ data: {} }, { headers: withPair(pair({ sid: 'old', gen: 2, iat: 1_003 })) }));
    await pending;
    assert.equal(store.get().accessToken, fresh.accessToken);
  });

  it('does not log back in when a rotated pair arrives after logout', async () => {
    const held = deferred();
    const { authFetch, store } = client({
      respond: (call) => (call.body.query.includes('logout') ? json({ data: { logout: true } }) : held.promise),
    });
    const pending = authFetch(URL, query());
    await settle();
    assert.equal(await authFetch.logout(), true);
    held.resolve(json({ data: {} }, { headers: withPair(pair({ gen: 2, iat: 1_003 })) }));
    await pending;
    assert.equal(store.get(), null);
  });
});

describe('refresh', () => {
  it('lets one request carry the refresh token while the others wait for the new pair', async () => {
    const now = clock(1_000);
    const stored = pair({ iat: 990, ttl: 10 });
    const next = pair({ gen: 2, iat: 1_000 });
    const refreshAnswer = deferred();
    const { authFetch, fetch, store } = client({
      stored, now, respond: (call) => (call.access === null ? refreshAnswer.promise : json({ data: {} })),
    });
    const requests = Array.from({ length: 5 }, () => authFetch(URL, query()));
    await settle();
    assert.equal(fetch.calls.length, 1, 'only the refreshing request is on the wire');
    assert.equal(fetch.calls[0].access, null, 'it leaves the expired access token out');
    assert.equal(fetch.calls[0].refresh, stored.refreshToken);
    refreshAnswer.resolve(json({ data: {} }, { headers: withPair(next) }));
    await Promise.all(requests);
    assert.equal(fetch.calls.length, 5);
    for (const call of fetch.calls.slice(1)) {
      assert.equal(call.access, next.accessToken);
      assert.equal(call.refresh, null);
    }
    assert.equal(store.get().accessToken, next.accessToken);
  });

  it('refreshes within the skew before exp, and not before', async () => {
    const now = clock(1_000);
    const { authFetch, fetch } = client({ stored: pair({ iat: 1_000, ttl: 10 }), now, refreshSkewSeconds: 3 });
    now.advance(6.9);
    await authFetch(URL, query());
    assert.notEqual(fetch.calls[0].access, null);
    now.advance(0.2);
    await authFetch(URL, query());
    assert.equal(fetch.calls[1].access, null);
  });

  it('refreshes a token shorter-lived than the skew only in the second half of its life', async () => {
    const now = clock(1_000);
    const { authFetch, fetch } = client({ stored: pair({ iat: 1_000, ttl: 4 }), now, refreshSkewSeconds: 5 });
    now.advance(1.9);
    await authFetch(URL, query());
    assert.notEqual(fetch.calls[0].access, null);
    now.advance(0.1);
    await authFetch(URL, query());
    assert.equal(fetch.calls[1].access, null);
  });

  it('goes on without the cross-tab lock when the lock manager refuses', async () => {
    const now = clock(1_000);
    const next = pair({ gen: 2, iat: 1_000 });
    const locks = { request: async () => { throw new DOMException('no locks here', 'SecurityError'); } };
    const { authFetch, fetch, store } = client({
      stored: pair({ iat: 980 }), now, locks, respond: () => json({ data: {} }, { headers: withPair(next) }),
    });
    const response = await authFetch(URL, query());
    assert.equal(response.status, 200);
    assert.equal(fetch.calls[0].access, null);
    assert.equal(store.get().accessToken, next.accessToken);
  });

  it('times expiry from when the pair arrived, so a client clock an hour off still refreshes on time', async () => {
    const now = clock(1_000 + 3600);
    const { authFetch, fetch } = client({ stored: null, now });
    authFetch.setTokens(pair({ iat: 1_000, ttl: 10 }));
    await authFetch(URL, query());
    assert.notEqual(fetch.calls[0].access, null, 'a fresh pair is used as is');
    now.advance(6);
    await authFetch(URL, query());
    assert.equal(fetch.calls[1].access, null, 'and refreshed 5 s before its lifetime ends');
  });

  it('logs out when the server answers a refresh with 200 and no pair (the refresh token was refused)', async () => {
    const now = clock(1_000);
    const { authFetch, fetch, store, loggedOut } = client({ stored: pair({ iat: 980 }), now, respond: () => json({ data: { loggedInUser: null } }) });
    await Promise.all([authFetch(URL, query()), authFetch(URL, query())]);
    assert.deepEqual(loggedOut, ['unauthenticated']);
    assert.equal(store.get(), null);
    assert.equal(fetch.calls[1].refresh, null, 'the waiting request goes on without tokens');
  });

  it('after a failed refresh (network error) the next waiting request refreshes', async () => {
    const now = clock(1_000);
    const stored = pair({ iat: 980 });
    const next = pair({ gen: 2, iat: 1_000 });
    const { authFetch, fetch, store, loggedOut } = client({
      stored,
      now,
      respond: () => {
        if (fetch.calls.length === 1) throw new TypeError('network down');
        return json({ data: {} }, { headers: withPair(next) });
      },
    });
    const [first, second] = await Promise.allSettled([authFetch(URL, query()), authFetch(URL, query())]);
    assert.equal(first.status, 'rejected');
    assert.equal(second.status, 'fulfilled');
    assert.equal(fetch.calls[1].access, null);
    assert.equal(fetch.calls[1].refresh, stored.refreshToken);
    assert.equal(store.get().accessToken, next.accessToken);
    assert.deepEqual(loggedOut, []);
  });

  it('does not take a 5xx to a refresh as a logout', async () => {
    const { authFetch, store, loggedOut } = client({
      stored: pair({ iat: 980 }), respond: () => json({ errors: [{ message: 'busy', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }, { status: 503 }),
    });
    await authFetch(URL, query());
    assert.notEqual(store.get(), null);
    assert.deepEqual(loggedOut, []);
  });
});

describe('a refused access token', () => {
  const unauthenticated = () => json({ data: { loggedInUser: null }, errors: [{ message: 'Must authenticate', extensions: { code: 'UNAUTHENTICATED' } }] });
  const answered = (headers = {}) => json({ data: { loggedInUser: { username: 'ada' } } }, { headers });

  it('is sent again with the newer pair another request stored meanwhile, with no logout', async () => {
    const gen1 = pair({ gen: 1, iat: 1_000 });
    const gen2 = pair({ gen: 2, iat: 1_001 });
    const held = deferred();
    const { authFetch, fetch, store, loggedOut } = client({
      stored: gen1,
      respond: (call) => {
        if (fetch.calls.length === 1) return held.promise;
        if (fetch.calls.length === 2) return answered(withPair(gen2));
        return call.access === gen2.accessToken ? answered() : unauthenticated();
      },
    });
    const delayed = authFetch(URL, query());
    await settle();
    await authFetch(URL, query());
    // The delayed request reached the server after its access token expired.
    held.resolve(unauthenticated());
    const body = await (await delayed).json();
    assert.equal(body.data.loggedInUser.username, 'ada');
    assert.equal(fetch.calls.length, 3);
    assert.equal(fetch.calls[2].access, gen2.accessToken);
    assert.ok(fetch.calls.every((call) => call.refresh === null), 'no request carried the refresh token');
    assert.equal(store.get().accessToken, gen2.accessToken);
    assert.deepEqual(loggedOut, []);
  });

  it('with no newer pair, is sent again as the refresh (refresh token alone), and the new pair kept', async () => {
    const stored = pair({ gen: 1, iat: 1_000 });
    const next = pair({ gen: 2, iat: 1_001 });
    const { authFetch, fetch, store, loggedOut } = client({
      stored, respond: (call) => (call.access === null ? answered(withPair(next)) : unauthenticated()),
    });
    const body = await (await authFetch(URL, query())).json();
    assert.equal(body.data.loggedInUser.username, 'ada');
    assert.equal(fetch.calls.length, 2);
    assert.equal(fetch.calls[0].refresh, null);
    assert.equal(fetch.calls[1].access, null);
    assert.equal(fetch.calls[1].refresh, stored.refreshToken);
    assert.equal(store.get().accessToken, next.accessToken);
    assert.deepEqual(loggedOut, []);
  });

  it('logs out once when the refresh that follows is refused too', async () => {
    const { authFetch, fetch, store, loggedOut } = client({ respond: unauthenticated });
    const response = await authFetch(URL, query());
    assert.equal((await response.json()).errors[0].extensions.code, 'UNAUTHENTICATED', 'the caller gets the last answer');
    assert.equal(fetch.calls.length, 2);
    assert.equal(fetch.calls[1].access, null, 'the second request was the refresh');
    assert.equal(store.get(), null);
    assert.deepEqual(loggedOut, ['unauthenticated']);
  });

  it('is sent again from a copy of a Request input, with its body', async () => {
    const next = pair({ gen: 2, iat: 1_001 });
    const { authFetch, fetch } = client({
      respond: (call) => (call.access === null ? answered(withPair(next)) : unauthenticated()),
    });
    const request = new Request(URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me }"}' });
    await authFetch(request);
    assert.equal(fetch.calls.length, 2);
    assert.equal(fetch.calls[0].input, request);
    assert.notEqual(fetch.calls[1].input, request);
    assert.equal(await fetch.calls[1].input.text(), '{"query":"{ me }"}');
  });

  it('is not sent again when the body is a stream; the next request refreshes', async () => {
    const next = pair({ gen: 2, iat: 1_001 });
    const { authFetch, fetch, loggedOut } = client({
      respond: (call) => (call.access === null ? answered(withPair(next)) : unauthenticated()),
    });
    const body = new ReadableStream({ start: (controller) => { controller.enqueue(new TextEncoder().encode('{}')); controller.close(); } });
    await authFetch(URL, { method: 'POST', body, duplex: 'half' });
    assert.equal(fetch.calls.length, 1);
    await authFetch(URL, query());
    assert.equal(fetch.calls[1].access, null);
    assert.deepEqual(loggedOut, []);
  });

  it('while another tab holds the refresh lock past lockTimeoutMs, the request goes without the refresh token', async () => {
    // Another tab's refresh may still be on its way: a second one with the same token could land after it.
    const heldElsewhere = {
      request: (name, options, callback) => {
        if (options.ifAvailable) return callback(null);
        return new Promise((resolve, reject) => {
          options.signal.addEventListener('abort', () => reject(options.signal.reason));
        });
      },
    };
    const now = clock(1_000);
    const { authFetch, fetch, store, loggedOut } = client({
      stored: pair({ iat: 980 }), now, locks: heldElsewhere, lockTimeoutMs: 20, respond: unauthenticated,
    });
    // AbortSignal.timeout does not keep Node's event loop alive by itself.
    const keepAlive = setInterval(() => {}, 5);
    try {
      await authFetch(URL, query());
    } finally {
      clearInterval(keepAlive);
    }
    assert.equal(fetch.calls.length, 1, 'not retried');
    assert.ok(fetch.calls[0].access);
    assert.equal(fetch.calls[0].refresh, null);
    assert.notEqual(store.get(), null);
    assert.deepEqual(loggedOut, []);
  });
});

describe('onLoggedOut', () => {
  const unauthenticated = () => json({ data: { loggedInUser: null }, errors: [{ message: 'Not authenticated', extensions: { code: 'UNAUTHENTICATED' } }] });

  it('is called once and the store cleared when a request with tokens comes back UNAUTHENTICATED', async () => {
    const { authFetch, store, loggedOut } = client({ respond: unauthenticated });
    await authFetch(URL, query());
    await authFetch(URL, query());
    assert.deepEqual(loggedOut, ['unauthenticated']);
    assert.equal(store.get(), null);
  });

  it('is not called for a request that carried no tokens', async () => {
    const { authFetch, loggedOut } = client({ stored: null, respond: unauthenticated });
    await authFetch(URL, query());
    assert.deepEqual(loggedOut, []);
  });

  it('is not called for other error codes, non-JSON bodies or streamed responses', async () => {
    const { authFetch, store, loggedOut } = client({
      respond: (call) => [
        json({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] }),
        new Response('UNAUTHENTICATED', { headers: { 'content-type': 'text/plain' } }),
        new Response('--x\r\ncontent-type: application/json\r\n\r\n{"errors":[{"extensions":{"code":"UNAUTHENTICATED"}}]}',
          { headers: { 'content-type': 'multipart/mixed; boundary="x"' } }),
        new Response('{not json', { headers: { 'content-type': 'application/json' } }),
      ][call.body.n],
    });
    for (let n = 0; n < 4; n += 1) await authFetch(URL, { method: 'POST', body: JSON.stringify({ n }) });
    assert.deepEqual(loggedOut, []);
    assert.notEqual(store.get(), null);
  });

  it('reads a batched answer', async () => {
    const { authFetch, loggedOut } = client({
      respond: () => json([{ data: {} }, { errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }]),
    });
    await authFetch(URL, query());
    assert.deepEqual(loggedOut, ['unauthenticated']);
  });

  it('ignores an UNAUTHENTICATED answer about a session other than the one in the store', async () => {
    const held = deferred();
    const { authFetch, store, loggedOut } = client({ stored: pair({ sid: 'old' }), respond: () => held.promise });
    const pending = authFetch(URL, query());
    await settle();
    const fresh = pair({ sid: 'new', iat: 1_001 });
    authFetch.setTokens(fresh);
    held.resolve(unauthenticated());
    await pending;
    assert.equal(store.get().accessToken, fresh.accessToken);
    assert.deepEqual(loggedOut, []);
  });

  it('survives a callback that throws', async () => {
    const { authFetch, store } = client({
      respond: unauthenticated,
      onLoggedOut: () => { throw new Error('app bug'); },
    });
    const reported = [];
    const original = globalThis.reportError;
    globalThis.reportError = (error) => reported.push(error.message);
    try {
      const response = await authFetch(URL, query());
      assert.equal(response.status, 200);
    } finally {
      globalThis.reportError = original;
    }
    assert.equal(store.get(), null);
    assert.deepEqual(reported, ['app bug']);
  });
});
