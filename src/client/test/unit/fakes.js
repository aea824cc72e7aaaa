// Test doubles: tokens shaped like the server's, a scriptable fetch, a clock and a lock manager.
import { memoryStore } from '../../src/index.js';

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with the server's claims (unsigned: the client never verifies signatures). */
export function jwt({ sid = 's1', gen = 1, iat = 1_000, ttl = 10, use = 'access', ...claims } = {}) {
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sid, gen, iat, exp: iat + ttl, token_use: use, ...claims })}.c2ln`;
}

/** An access/refresh pair of one session and generation, issued at `iat` (seconds). */
export function pair({ sid = 's1', gen = 1, iat = 1_000, ttl = 10 } = {}) {
  return {
    accessToken: jwt({ sid, gen, iat, ttl }),
    refreshToken: jwt({ sid, gen, iat, ttl: 3600, use: 'refresh' }),
  };
}

/** A clock in ms the test moves by hand. */
export function clock(startSeconds = 1_000) {
  let ms = startSeconds * 1000;
  const now = () => ms;
  now.advance = (seconds) => { ms += seconds * 1000; };
  return now;
}

export function json(body, { status = 200, headers = {} } = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function withPair(p) {
  return { 'x-access-token': p.accessToken, 'x-refresh-token': p.refreshToken };
}

/**
 * A fetch that records each call's headers and answers with `respond(call)`; a call can be held
 * until the test releases it, to reorder responses.
 */
export function fakeFetch(respond = () => json({ data: { ok: true } })) {
  const calls = [];
  const fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const call = {
      input,
      init,
      headers,
      access: headers.get('x-access-token'),
      refresh: headers.get('x-refresh-token'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
    };
    calls.push(call);
    return respond(call);
  };
  fetch.calls = calls;
  return fetch;
}

/** A promise the test resolves later. */
export function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

/** navigator.locks, exclusive mode only: enough for the client's single refresh lock. */
export function fakeLocks() {
  const locks = new Map();
  const manager = {
    requests: 0,
    async request(name, options, callback) {
      if (typeof options === 'function') [callback, options] = [options, {}];
      manager.requests += 1;
      const lock = locks.get(name) ?? { held: false, waiters: [] };
      locks.set(name, lock);
      if (lock.held && options.ifAvailable) return callback(null);
      if (lock.held) await new Promise((handOver) => lock.waiters.push(handOver));
      lock.held = true;
      try {
        return await callback({ name });
      } finally {
        const next = lock.waiters.shift();
        if (next) next();
        else lock.held = false;
      }
    },
  };
  return manager;
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Resolves once `condition()` is true; fails after `timeoutMs` (for messages between tabs). */
export async function eventually(condition, { timeoutMs = 5000, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A memory store that remembers every pair written to it. */
export function recordingStore(initial = null) {
  const store = memoryStore(initial);
  const written = [];
  return { ...store, set: (value) => { written.push(value); store.set(value); }, written };
}
