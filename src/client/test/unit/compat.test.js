// The real GraphQL clients call the function the way they call fetch: tokens go out, the rotated
// pair comes back into the store, and a session the server refuses reaches onLoggedOut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';

import { createAuthFetch, memoryStore } from '../../src/index.js';
import { clock, fakeFetch, json, pair, withPair } from './fakes.js';

const URL = 'http://127.0.0.1:1/graphql';
const LOGGED_IN_USER = '{ loggedInUser { id username } }';

function server() {
  const stored = pair({ gen: 1, iat: 1_000 });
  const rotated = pair({ gen: 2, iat: 1_001 });
  const fetch = fakeFetch((call) => {
    if (call.access !== stored.accessToken) {
      return json({ data: { loggedInUser: null }, errors: [{ message: 'Not authenticated', path: ['loggedInUser'], extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    return json({ data: { loggedInUser: { __typename: 'User', id: '1', username: 'ada' } } }, { headers: withPair(rotated) });
  });
  const store = memoryStore(stored);
  const loggedOut = [];
  const authFetch = createAuthFetch({ store, fetch, now: clock(1_000), crossTab: false, onLoggedOut: (e) => loggedOut.push(e.reason) });
  return { authFetch, fetch, store, stored, rotated, loggedOut };
}

function assertRoundTrip({ fetch, store, stored, rotated }, extraHeader) {
  const [call] = fetch.calls;
  assert.equal(call.access, stored.accessToken);
  assert.equal(call.refresh, null);
  assert.equal(call.headers.get('x-app'), extraHeader);
  assert.match(call.headers.get('content-type'), /application\/json/);
  assert.equal(store.get().accessToken, rotated.accessToken);
}

describe('as the fetch of GraphQL clients', () => {
  it('Apollo Client HttpLink', async () => {
    const s = server();
    const client = new ApolloClient({
      link: new HttpLink({ uri: URL, fetch: s.authFetch, headers: { 'x-app': 'apollo' } }),
      cache: new InMemoryCache(),
    });
    const { data } = await client.query({ query: gql(LOGGED_IN_USER) });
    assert.equal(data.loggedInUser.username, 'ada');
    assertRoundTrip(s, 'apollo');
    await assert.rejects(client.query({ query: gql(LOGGED_IN_USER), fetchPolicy: 'network-only' }));
    assert.deepEqual(s.loggedOut, ['unauthenticated']);
  });

  it('graphql-request', async () => {
    const s = server();
    const client = new GraphQLClient(URL, { fetch: s.authFetch, headers: new Headers({ 'x-app': 'graphql-request' }) });
    const data = await client.request(LOGGED_IN_USER);
    assert.equal(data.loggedInUser.username, 'ada');
    assertRoundTrip(s, 'graphql-request');
    await assert.rejects(client.request(LOGGED_IN_USER));
    assert.deepEqual(s.loggedOut, ['unauthenticated']);
  });

  it('urql', async () => {
    const s = server();
    const client = new Client({
      url: URL,
      fetch: s.authFetch,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: () => ({ headers: { 'x-app': 'urql' } }),
      preferGetMethod: false,
    });
    const result = await client.query(LOGGED_IN_USER, {}).toPromise();
    assert.equal(result.error, undefined);
    assert.equal(result.data.loggedInUser.username, 'ada');
    assertRoundTrip(s, 'urql');
    const second = await client.query(LOGGED_IN_USER, {}, { requestPolicy: 'network-only' }).toPromise();
    assert.ok(second.error);
    assert.deepEqual(s.loggedOut, ['unauthenticated']);
  });
});
