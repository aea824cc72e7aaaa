import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthFetch, createDpop, memoryKeyStore } from '../../src/index.js';
import { clock, fakeFetch, json, pair } from './fakes.js';

const URL = 'https://api.example.com/prod/graphql';

function decode(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString());
}

async function verifies(proof) {
  const [header, payload, signature] = proof.split('.');
  const key = await crypto.subtle.importKey('jwk', decode(header).jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false,
    ['verify']);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(signature, 'base64url'),
    new TextEncoder().encode(`${header}.${payload}`));
}

test('a proof is an ES256 dpop+jwt with the public key only, for the method and the URL without its query', async () => {
  const now = clock(1_700_000_000);
  const dpop = createDpop({ keyStore: memoryKeyStore(), now });

  const proof = await dpop.proof('post', `${URL}?query=x#y`);

  const [header, payload] = proof.split('.').map((part, i) => (i < 2 ? decode(part) : part));
  assert.deepEqual(Object.keys(header).sort(), ['alg', 'jwk', 'typ']);
  assert.equal(header.typ, 'dpop+jwt');
  assert.equal(header.alg, 'ES256');
  assert.deepEqual(Object.keys(header.jwk).sort(), ['crv', 'kty', 'x', 'y']);
  assert.equal(payload.htm, 'POST');
  assert.equal(payload.htu, URL);
  assert.equal(payload.iat, 1_700_000_000);
  assert.equal(payload.ath, undefined);
  assert.ok(await verifies(proof));
});

test('each proof has its own jti, and ath is the hash of the access token (RFC 9449 example)', async () => {
  const dpop = createDpop({ keyStore: memoryKeyStore() });
  const first = decode((await dpop.proof('GET', URL, 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).split('.')[1]);
  const second = decode((await dpop.proof('GET', URL)).split('.')[1]);

  assert.equal(first.ath, 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  assert.notEqual(first.jti, second.jti);
});

test('the key is created non-extractable, stored once, and shared by clients of one store', async () => {
  const keyStore = memoryKeyStore();
  const one = createDpop({ keyStore });
  const two = createDpop({ keyStore });

  await Promise.all([one.proof('POST', URL), two.proof('POST', URL)]);

  const stored = await keyStore.get();
  assert.equal(stored.privateKey.extractable, false);
  assert.equal(await one.thumbprint(), await two.thumbprint());
});

test('the RFC 7638 thumbprint of the key is what the proofs carry', async () => {
  const dpop = createDpop({ keyStore: memoryKeyStore() });
  const { jwk } = decode((await dpop.proof('POST', URL)).split('.')[0]);
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const expected = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))).toString('base64url');
  assert.equal(await dpop.thumbprint(), expected);
});

test('without WebCrypto or a key store there is no DPoP: the client sends bearer tokens', () => {
  assert.equal(createDpop({ crypto: {}, keyStore: memoryKeyStore() }), null);
  assert.equal(createDpop({ indexedDB: null }), null);
});

test('the client signs every request, with ath for the access token and none for a refresh', async () => {
  const now = clock(1_000);
  const dpop = createDpop({ keyStore: memoryKeyStore(), now });
  const fetch = fakeFetch(() => json({ data: { ok: true } }));
  const authFetch = createAuthFetch({ fetch, now, dpop, crossTab: false });
  authFetch.setTokens(pair({ iat: 1_000, ttl: 600 }));

  await authFetch(URL, { method: 'POST', body: '{}' });
  now.advance(600);
  await authFetch(URL, { method: 'POST', body: '{}' });

  const [plain, refresh] = fetch.calls.map((call) => decode(call.headers.get('dpop').split('.')[1]));
  assert.equal(plain.htm, 'POST');
  assert.equal(plain.htu, URL);
  assert.ok(plain.ath);
  assert.equal(fetch.calls[1].refresh !== null, true);
  assert.equal(refresh.ath, undefined);
});

test('login sends a proof, so that the server binds the new session to the key', async () => {
  const dpop = createDpop({ keyStore: memoryKeyStore() });
  const fetch = fakeFetch(() => json({ data: { login: pair({ iat: 1_000, ttl: 600 }) } }));
  const authFetch = createAuthFetch({ url: URL, fetch, now: clock(1_000), dpop, crossTab: false, deviceTokens: false });

  await authFetch.login({ username: 'ada', password: 'pw' });

  assert.ok(fetch.calls[0].headers.get('dpop'));
});

test('a DPoP-Nonce the server asks for goes into the next proof, and the refused request goes once more', async () => {
  const dpop = createDpop({ keyStore: memoryKeyStore() });
  let first = true;
  const fetch = fakeFetch(() => {
    if (first) {
      first = false;
      return json({ errors: [] }, {
        status: 401, headers: { 'dpop-nonce': 'n-1', 'www-authenticate': 'DPoP error="use_dpop_nonce"' },
      });
    }
    return json({ data: { ok: true } });
  });
  const authFetch = createAuthFetch({ fetch, now: clock(1_000), dpop, crossTab: false });

  const response = await authFetch(URL, { method: 'POST', body: '{}' });

  assert.equal(response.status, 200);
  assert.equal(fetch.calls.length, 2);
  assert.equal(decode(fetch.calls[1].headers.get('dpop').split('.')[1]).nonce, 'n-1');
});

test('without DPoP no proof header is sent', async () => {
  const fetch = fakeFetch();
  const authFetch = createAuthFetch({ fetch, now: clock(1_000), crossTab: false });
  await authFetch(URL, { method: 'POST', body: '{}' });
  assert.equal(fetch.calls[0].headers.get('dpop'), null);
});

test('with Apollo, urql and graphql-request each request carries a proof for its method and URL', async () => {
  const { ApolloClient, HttpLink, InMemoryCache, gql } = await import('@apollo/client');
  const { Client, cacheExchange, fetchExchange } = await import('@urql/core');
  const { GraphQLClient } = await import('graphql-request');
  const dpop = createDpop({ keyStore: memoryKeyStore() });
  const fetch = fakeFetch(() => json({ data: { loggedInUser: { __typename: 'User', id: '1', username: 'ada' } } }));
  const authFetch = createAuthFetch({ fetch, now: clock(1_000), dpop, crossTab: false });
  authFetch.setTokens(pair({ iat: 1_000, ttl: 600 }));
  const query = '{ loggedInUser { id username } }';

  await new ApolloClient({ link: new HttpLink({ uri: URL, fetch: authFetch }), cache: new InMemoryCache() })
    .query({ query: gql(query) });
  await new Client({ url: URL, fetch: authFetch, exchanges: [cacheExchange, fetchExchange] }).query(query, {}).toPromise();
  await new GraphQLClient(URL, { fetch: authFetch }).request(query);

  assert.equal(fetch.calls.length, 3);
  for (const call of fetch.calls) {
    const proof = call.headers.get('dpop');
    assert.ok(await verifies(proof));
    const claims = decode(proof.split('.')[1]);
    assert.equal(claims.htu, URL);
    assert.equal(claims.htm, (call.init?.method ?? call.input?.method ?? 'GET').toUpperCase());
    assert.ok(claims.ath);
  }
});

test('a client whose clock is minutes off dates its proofs by the server\'s Date and sends the refused request again', async () => {
  const now = clock(1_700_000_000);
  const dpop = createDpop({ keyStore: memoryKeyStore(), now });
  const serverTime = new Date((1_700_000_000 + 600) * 1000).toUTCString();
  const fetch = fakeFetch((call) => {
    const { iat } = decode(call.headers.get('dpop').split('.')[1]);
    if (Math.abs(iat - (1_700_000_000 + 600)) > 60) {
      return json({ errors: [{ extensions: { code: 'INVALID_DPOP_PROOF' } }] }, {
        status: 401, headers: { date: serverTime, 'www-authenticate': 'DPoP error="invalid_dpop_proof", algs="ES256"' },
      });
    }
    return json({ data: { ok: true } }, { headers: { date: serverTime } });
  });
  const authFetch = createAuthFetch({ fetch, now, dpop, crossTab: false });

  const response = await authFetch(URL, { method: 'POST', body: '{}' });

  assert.equal(response.status, 200);
  assert.equal(fetch.calls.length, 2);
  assert.equal(decode((await dpop.proof('POST', URL)).split('.')[1]).iat, 1_700_000_000 + 600);
});

test('a clock within the server\'s window keeps its own time', async () => {
  const now = clock(1_700_000_000);
  const dpop = createDpop({ keyStore: memoryKeyStore(), now });
  const response = new Response('{}', { headers: { date: new Date((1_700_000_000 + 10) * 1000).toUTCString() } });
  assert.equal(dpop.learn(response), false);
  assert.equal(decode((await dpop.proof('POST', URL)).split('.')[1]).iat, 1_700_000_000);
});
