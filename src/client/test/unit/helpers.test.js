import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AuthError, createAuthFetch, decodeJwtPayload, localStorageStore, memoryStore, sessionStorageStore,
} from '../../src/index.js';
import { clock, fakeFetch, fakeLocks, json, pair } from './fakes.js';

const URL = 'http://127.0.0.1:1/graphql';

function setup({ respond, stored = null, ...options } = {}) {
  const fetch = fakeFetch(respond);
  const store = memoryStore(stored);
  const loggedOut = [];
  const auth = createAuthFetch({ url: URL, store, fetch, crossTab: false, onLoggedOut: (e) => loggedOut.push(e.reason), ...options });
  return { auth, fetch, store, loggedOut };
}

describe('login, register, logout', () => {
  it('login posts the credentials as variables, without tokens, and stores the pair', async () => {
    const tokens = pair({ sid: 'new' });
    const { auth, fetch, store } = setup({ stored: pair({ sid: 'old' }), respond: () => json({ data: { login: tokens } }) });
    const result = await auth.login({ username: 'ada', password: 'correct horse battery staple' });
    const [call] = fetch.calls;
    assert.equal(call.input, URL);
    assert.equal(call.init.method, 'POST');
    assert.equal(call.headers.get('content-type'), 'application/json');
    assert.deepEqual(call.body.variables, { username: 'ada', password: 'correct horse battery staple', deviceToken: null });
    assert.match(call.body.query, /login\(username: \$username, password: \$password, deviceToken: \$deviceToken\) \{ accessToken refreshToken deviceToken \}/);
    assert.equal(call.access, null);
    assert.equal(store.get().accessToken, tokens.accessToken);
    assert.equal(result.accessToken, tokens.accessToken);
  });

  it('register stores the pair', async () => {
    const tokens = pair();
    const { auth, fetch, store } = setup({ respond: () => json({ data: { register: tokens } }) });
    await auth.register({ username: 'ada', password: 'correct horse battery staple' });
    assert.match(fetch.calls[0].body.query, /register\(/);
    assert.equal(store.get().refreshToken, tokens.refreshToken);
  });

  it('with deviceTokens, login sends the stored device token, asks for a new one and keeps it across logout', async () => {
    const { auth, fetch, store } = setup({
      deviceTokens: true,
      respond: (call) => (call.body.query.includes('logout')
        ? json({ data: { logout: true } })
        : json({ data: { login: { ...pair(), deviceToken: `device-${fetch.calls.length}` } } })),
    });
    await auth.login({ username: 'ada', password: 'pw-long-enough' });
    assert.equal(fetch.calls[0].body.variables.deviceToken, null);
    assert.match(fetch.calls[0].body.query, /deviceToken: \$deviceToken\) \{ accessToken refreshToken deviceToken \}/);
    assert.equal(store.getDeviceToken(), 'device-1');
    await auth.logout();
    assert.equal(store.getDeviceToken(), 'device-1');
    await auth.login({ username: 'ada', password: 'pw-long-enough' });
    assert.equal(fetch.calls.at(-1).body.variables.deviceToken, 'device-1');
  });

  it('with deviceTokens: false (a server without them), neither the argument nor the field is sent', async () => {
    const { auth, fetch } = setup({ deviceTokens: false, respond: () => json({ data: { login: pair() } }) });
    await auth.login({ username: 'ada', password: 'pw-long-enough' });
    assert.doesNotMatch(fetch.calls[0].body.query, /deviceToken/);
    assert.equal('deviceToken' in fetch.calls[0].body.variables, false);
  });

  it('a refused login throws an AuthError with the code and leaves the store alone', async () => {
    const stored = pair();
    const { auth, store } = setup({
      stored,
      respond: () => json({ data: { login: null }, errors: [{ message: 'Too many attempts', extensions: { code: 'LOGIN_THROTTLED', retryAfterSeconds: 5 } }] }),
    });
    await assert.rejects(auth.login({ username: 'ada', password: 'wrong-password' }), (error) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'LOGIN_THROTTLED');
      assert.equal(error.retryAfterSeconds, 5);
      return true;
    });
    assert.equal(store.get().accessToken, stored.accessToken);
  });

  it('a non-GraphQL failure throws an AuthError with the status', async () => {
    const { auth } = setup({ respond: () => new Response('gateway timeout', { status: 504 }) });
    await assert.rejects(auth.login({ username: 'ada', password: 'pw-long-enough' }), (error) => error.status === 504);
  });

  it('logout sends the access token, clears the store before the answer and reports the server confirmation', async () => {
    const stored = pair();
    let storedDuringRequest;
    const { auth, fetch, store, loggedOut } = setup({
      stored,
      now: clock(),
      respond: () => {
        storedDuringRequest = store.get();
        return json({ data: { logout: true } });
      },
    });
    assert.equal(await auth.logout(), true);
    assert.equal(fetch.calls[0].access, stored.accessToken);
    assert.equal(fetch.calls[0].refresh, null);
    assert.equal(fetch.calls[0].body.query, 'mutation { logout }');
    assert.equal(storedDuringRequest, null);
    assert.deepEqual(loggedOut, ['logout']);
  });

  it('logout with an access token about to expire sends the refresh token alone, holding the refresh lock', async () => {
    const stored = pair({ iat: 980 });
    const locks = fakeLocks();
    const { auth, fetch, loggedOut } = setup({ stored, now: clock(1_000), locks, respond: () => json({ data: { logout: true } }) });
    assert.equal(await auth.logout(), true);
    assert.equal(locks.requests, 1);
    assert.equal(fetch.calls[0].access, null);
    assert.equal(fetch.calls[0].refresh, stored.refreshToken);
    assert.deepEqual(loggedOut, ['logout']);
  });

  it('logout still logs out here when the server cannot be reached, and says so', async () => {
    const { auth, store } = setup({ stored: pair(), respond: () => { throw new TypeError('offline'); } });
    assert.equal(await auth.logout(), false);
    assert.equal(store.get(), null);
  });

  it('changePassword goes with the tokens and replaces the pair with the one it returns', async () => {
    const fresh = pair({ sid: 'after-change' });
    const { auth, fetch, store } = setup({ stored: pair(), now: clock(), respond: () => json({ data: { changePassword: fresh } }) });
    await auth.changePassword({ oldPassword: 'old-password', newPassword: 'new-password' });
    assert.ok(fetch.calls[0].access);
    assert.equal(store.get().accessToken, fresh.accessToken);
  });

  it('the helpers need the endpoint url', async () => {
    const auth = createAuthFetch({ fetch: fakeFetch(), crossTab: false });
    await assert.rejects(auth.login({ username: 'a', password: 'b' }), /url/);
  });
});

describe('stores', () => {
  function fakeStorage() {
    const items = new Map();
    return {
      getItem: (key) => (items.has(key) ? items.get(key) : null),
      setItem: (key, value) => items.set(key, String(value)),
      removeItem: (key) => items.delete(key),
      items,
    };
  }

  for (const [name, make] of [['localStorageStore', localStorageStore], ['sessionStorageStore', sessionStorageStore]]) {
    it(`${name} keeps the pair as JSON under its key and the device token beside it`, () => {
      const storage = fakeStorage();
      const store = make({ storage, key: 'k' });
      const tokens = pair();
      store.set(tokens);
      store.setDeviceToken('d1');
      assert.deepEqual(JSON.parse(storage.items.get('k')), tokens);
      assert.equal(storage.items.get('k:device'), 'd1');
      assert.deepEqual(make({ storage, key: 'k' }).get(), tokens);
      store.set(null);
      assert.equal(storage.items.has('k'), false);
      assert.equal(store.getDeviceToken(), 'd1');
    });

    it(`${name} reads a damaged value as logged out`, () => {
      const storage = fakeStorage();
      storage.setItem('k', '{not json');
      assert.equal(make({ storage, key: 'k' }).get(), null);
      storage.setItem('k', '{"accessToken":1}');
      assert.equal(make({ storage, key: 'k' }).get(), null);
    });

    it(`${name} says what to use where there is no such storage`, () => {
      assert.throws(() => make(), /not available here: use memoryStore/);
    });
  }

  it('a storage that refuses writes does not break the request', () => {
    const store = localStorageStore({ storage: { getItem: () => null, setItem: () => { throw new Error('quota'); }, removeItem: () => {} } });
    store.set(pair());
    assert.equal(store.get(), null);
  });
});

describe('decodeJwtPayload', () => {
  it('reads base64url payloads, including non-ASCII claims', () => {
    const token = `e30.${Buffer.from(JSON.stringify({ sub: 'ü-😀', gen: 7 })).toString('base64url')}.sig`;
    assert.deepEqual(decodeJwtPayload(token), { sub: 'ü-😀', gen: 7 });
  });

  it('answers null for anything that is not a JWT', () => {
    for (const value of [undefined, null, 42, '', 'abc', 'a.b.c', 'a.WzFd.c', 'a.bnVsbA.c']) {
      assert.equal(decodeJwtPayload(value), null, String(value));
    }
  });
});

describe('password reset', () => {
  it('register with an email sends it as a variable', async () => {
    const { auth, fetch } = setup({ respond: () => json({ data: { register: pair() } }) });
    await auth.register({ username: 'ada', password: 'correct horse battery staple', email: 'ada@example.org' });
    assert.deepEqual(fetch.calls[0].body.variables,
      { username: 'ada', password: 'correct horse battery staple', email: 'ada@example.org' });
    assert.match(fetch.calls[0].body.query, /register\(username: \$username, password: \$password, email: \$email\)/);
  });

  it('requestPasswordReset posts the address without tokens and resolves to the answer', async () => {
    const { auth, fetch, store } = setup({ stored: pair(), respond: () => json({ data: { requestPasswordReset: true } }) });
    assert.equal(await auth.requestPasswordReset({ email: 'ada@example.org' }), true);
    const [call] = fetch.calls;
    assert.deepEqual(call.body.variables, { email: 'ada@example.org' });
    assert.match(call.body.query, /requestPasswordReset\(email: \$email\)/);
    assert.equal(call.access, null);
    assert.notEqual(store.get(), null);
  });

  it('requestPasswordReset rejects with MAIL_THROTTLED and its retryAfterSeconds', async () => {
    const { auth } = setup({
      respond: () => json({ errors: [{ message: 'Too many', extensions: { code: 'MAIL_THROTTLED', retryAfterSeconds: 60 } }],
        data: { requestPasswordReset: null } }),
    });
    await assert.rejects(auth.requestPasswordReset({ email: 'ada@example.org' }),
      (e) => e.code === 'MAIL_THROTTLED' && e.retryAfterSeconds === 60);
  });

  it('resetPassword sends the code and new password without tokens and clears the stored pair on success', async () => {
    const { auth, fetch, store, loggedOut } = setup({ stored: pair(), respond: () => json({ data: { resetPassword: true } }) });
    assert.equal(await auth.resetPassword({ email: 'ada@example.org', code: '01234567', newPassword: 'a much better passphrase' }), true);
    const [call] = fetch.calls;
    assert.deepEqual(call.body.variables, { email: 'ada@example.org', code: '01234567', newPassword: 'a much better passphrase' });
    assert.match(call.body.query, /resetPassword\(email: \$email, code: \$code, newPassword: \$newPassword\)/);
    assert.equal(call.access, null);
    assert.equal(store.get(), null);
    assert.deepEqual(loggedOut, ['logout']);
  });

  it('resetPassword rejects with INVALID_CODE and keeps the stored pair', async () => {
    const { auth, store } = setup({
      stored: pair(),
      respond: () => json({ errors: [{ message: 'The code is wrong', extensions: { code: 'INVALID_CODE' } }], data: { resetPassword: null } }),
    });
    await assert.rejects(auth.resetPassword({ email: 'ada@example.org', code: '00000000', newPassword: 'a much better passphrase' }),
      (e) => e.code === 'INVALID_CODE');
    assert.notEqual(store.get(), null);
  });
});
