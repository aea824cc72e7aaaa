// Several clients in one process stand for tabs of one origin: Node's BroadcastChannel carries
// their messages as a browser's does, and one fake lock manager plays navigator.locks.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { createAuthFetch, decodeJwtPayload, memoryStore } from '../../src/index.js';
import {
  clock, deferred, eventually, fakeFetch, fakeLocks, json, pair, recordingStore, settle, withPair,
} from './fakes.js';

const URL = 'http://127.0.0.1:1/graphql';
const query = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ loggedInUser { id } }"}' };
const open = [];
let channelCount = 0;

function tabs(count, { respond, now = clock(), stored = [] } = {}) {
  const channelName = `tabs-test-${process.pid}-${channelCount += 1}`;
  const locks = fakeLocks();
  const fetch = fakeFetch(respond);
  const list = Array.from({ length: count }, (_, index) => {
    const store = recordingStore(stored[index] ?? null);
    const loggedOut = [];
    const authFetch = createAuthFetch({
      url: URL, store, fetch, now, locks, channelName, crossTab: true, onLoggedOut: (event) => loggedOut.push(event.reason),
    });
    open.push(authFetch);
    return { authFetch, store, loggedOut };
  });
  return { tabs: list, fetch, locks, channelName };
}

afterEach(() => {
  while (open.length) open.pop().close();
});

describe('tabs of one origin', () => {
  it('a login in one tab logs the others in', async () => {
    const { tabs: [a, b] } = tabs(2, { respond: () => json({ data: { login: pair({ sid: 'l1' }) } }) });
    await a.authFetch.login({ username: 'ada', password: 'correct horse battery staple' });
    await eventually(() => b.store.get()?.accessToken === a.store.get().accessToken, { what: 'the pair in tab b' });
  });

  it('a new tab with nothing stored takes the pair of an open tab', async () => {
    const stored = pair();
    const { channelName } = tabs(1, { stored: [stored] });
    const store = memoryStore();
    open.push(createAuthFetch({ store, crossTab: true, channelName, fetch: fakeFetch() }));
    await eventually(() => store.get()?.accessToken === stored.accessToken, { what: 'the pair in the new tab' });
  });

  it('one refresh for all tabs: the others wait for the lock and take the new pair', async () => {
    const now = clock(1_000);
    const stored = pair({ iat: 980 });
    const next = pair({ gen: 2, iat: 1_000 });
    const refreshAnswer = deferred();
    const { tabs: list, fetch } = tabs(3, {
      now,
      stored: [stored, stored, stored],
      respond: (call) => (call.access === null ? refreshAnswer.promise : json({ data: {} })),
    });
    const requests = list.flatMap(({ authFetch }) => [authFetch(URL, query), authFetch(URL, query)]);
    await settle();
    assert.equal(fetch.calls.length, 1, 'one request on the wire, in one tab');
    refreshAnswer.resolve(json({ data: {} }, { headers: withPair(next) }));
    await Promise.all(requests);
    assert.equal(fetch.calls.filter((call) => call.access === null).length, 1, 'exactly one refresh');
    assert.ok(fetch.calls.slice(1).every((call) => call.access === next.accessToken));
    for (const tab of list) assert.equal(tab.store.get().accessToken, next.accessToken);
  });

  it('a rotated pair reaches the other tabs, and an older one sent later does not replace it', async () => {
    const gen2 = pair({ gen: 2, iat: 1_005 });
    const gen3 = pair({ gen: 3, iat: 1_010 });
    const gen4 = pair({ gen: 4, iat: 1_015 });
    const { tabs: [a, b], channelName } = tabs(2, {
      stored: [pair(), pair()], respond: () => json({ data: {} }, { headers: withPair(gen3) }),
    });
    await a.authFetch(URL, query);
    await eventually(() => b.store.get()?.accessToken === gen3.accessToken, { what: 'gen 3 in tab b' });
    // Another tab's messages arrive in the order it sent them: gen 2, then gen 4.
    const other = new BroadcastChannel(channelName);
    other.postMessage({ type: 'tokens', from: 'other', pair: gen2 });
    other.postMessage({ type: 'tokens', from: 'other', pair: gen4 });
    other.close();
    await eventually(() => b.store.get()?.accessToken === gen4.accessToken, { what: 'gen 4 in tab b' });
    assert.ok(!b.store.written.some((p) => p?.accessToken === gen2.accessToken), 'gen 2 never stored');
  });

  it('a logout in one tab logs the others out', async () => {
    const { tabs: [a, b, c] } = tabs(3, { stored: [pair(), pair(), pair()], respond: () => json({ data: { logout: true } }) });
    assert.equal(await a.authFetch.logout(), true);
    await eventually(() => b.loggedOut.length > 0 && c.loggedOut.length > 0, { what: 'the other tabs logged out' });
    assert.deepEqual(a.loggedOut, ['logout']);
    assert.deepEqual(b.loggedOut, ['other-tab']);
    assert.deepEqual(c.loggedOut, ['other-tab']);
    assert.equal(b.store.get(), null);
  });

  it('a tab that missed a rotation asks the others before refreshing, and never sends the replaced refresh token', async () => {
    const now = clock(1_000);
    const gen1 = pair({ gen: 1, iat: 980 });
    const gen2 = pair({ gen: 2, iat: 1_000 });
    const { tabs: [a, b], fetch } = tabs(2, { now, stored: [gen1, gen1], respond: () => json({ data: {} }) });
    await settle();
    // Tab b refreshed; its message never reached tab a.
    b.store.set(gen2);
    await a.authFetch(URL, query);
    assert.equal(fetch.calls.length, 1);
    assert.equal(fetch.calls[0].access, gen2.accessToken);
    assert.equal(fetch.calls[0].refresh, null);
    assert.equal(a.store.get().accessToken, gen2.accessToken);
  });

  it('a tab that never answers is waited for a bounded time, then the refresh goes on', async () => {
    const now = clock(1_000);
    const stored = pair({ iat: 980 });
    const next = pair({ gen: 2, iat: 1_000 });
    const { tabs: [a], fetch, channelName } = tabs(1, {
      now, stored: [stored], respond: () => json({ data: {} }, { headers: withPair(next) }),
    });
    const silent = new BroadcastChannel(channelName);
    silent.postMessage({ type: 'hello', from: 'silent' });
    await settle();
    await a.authFetch(URL, query);
    silent.close();
    assert.equal(fetch.calls.length, 1);
    assert.equal(fetch.calls[0].refresh, stored.refreshToken);
    assert.equal(a.store.get().accessToken, next.accessToken);
  });

  it('a logout naming another session is ignored; one naming the stored session logs out', async () => {
    const s2 = pair({ sid: 's2' });
    const { tabs: [b], channelName } = tabs(1, { stored: [s2] });
    const other = new BroadcastChannel(channelName);
    other.postMessage({ type: 'logout', from: 'other', sid: 's1' });
    // Messages arrive in order: once gen 2 is stored, the logout before it has been handled.
    other.postMessage({ type: 'tokens', from: 'other', pair: pair({ sid: 's2', gen: 2, iat: 1_001 }) });
    await eventually(() => decodeJwtPayload(b.store.get()?.accessToken)?.gen === 2, { what: 'gen 2 in tab b' });
    assert.deepEqual(b.loggedOut, []);
    other.postMessage({ type: 'logout', from: 'other', sid: 's2' });
    await eventually(() => b.loggedOut.length > 0, { what: 'tab b logged out' });
    other.close();
    assert.deepEqual(b.loggedOut, ['other-tab']);
    assert.equal(b.store.get(), null);
  });

  it('a logout message names the session it ended', async () => {
    const { tabs: [a], channelName } = tabs(1, { stored: [pair({ sid: 's7' })], respond: () => json({ data: { logout: true } }) });
    const other = new BroadcastChannel(channelName);
    const heard = [];
    other.onmessage = ({ data }) => heard.push(data);
    await a.authFetch.logout();
    await eventually(() => heard.some((m) => m.type === 'logout'), { what: 'the logout message' });
    other.close();
    assert.equal(heard.find((m) => m.type === 'logout').sid, 's7');
  });

  it('a login message of a session that has ended does not log the tab back in', async () => {
    const s1 = pair({ sid: 's1' });
    const { tabs: [b], channelName } = tabs(1, { stored: [s1] });
    const other = new BroadcastChannel(channelName);
    other.postMessage({ type: 'logout', from: 'other', sid: 's1' });
    other.postMessage({ type: 'login', from: 'other', pair: s1 });
    other.postMessage({ type: 'login', from: 'other', pair: pair({ sid: 's3' }) });
    await eventually(() => decodeJwtPayload(b.store.get()?.accessToken)?.sid === 's3', { what: 'session s3 in tab b' });
    other.close();
    assert.deepEqual(b.store.written.map((p) => decodeJwtPayload(p?.accessToken)?.sid ?? null), [null, 's3']);
  });

  it('a session the server refuses in one tab ends in all', async () => {
    const { tabs: [a, b] } = tabs(2, {
      stored: [pair(), pair()], respond: () => json({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    await a.authFetch(URL, query);
    await eventually(() => b.loggedOut.length > 0, { what: 'tab b logged out' });
    assert.deepEqual(a.loggedOut, ['unauthenticated']);
    assert.deepEqual(b.loggedOut, ['other-tab']);
  });
});
