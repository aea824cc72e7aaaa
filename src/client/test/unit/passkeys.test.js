import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createAuthFetch, memoryStore } from '../../src/index.js';
import { credentialToJSON, parseCreationOptions, parseRequestOptions } from '../../src/passkeys.js';
import { clock, fakeFetch, json, pair } from './fakes.js';

const URL = 'http://127.0.0.1:1/graphql';
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const buffer = (...bytes) => new Uint8Array(bytes).buffer;

const creationJSON = {
  rp: { id: 'example.com', name: 'x' },
  user: { id: b64url([1, 2, 3]), name: 'ada', displayName: 'ada' },
  challenge: b64url([9, 9, 9, 9]),
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  excludeCredentials: [{ type: 'public-key', id: b64url([7, 7]), transports: ['internal'] }],
  authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  attestation: 'none',
};

// A browser without the Level 3 JSON methods: a PublicKeyCredential with neither parser nor toJSON.
const registration = {
  id: b64url([5, 6]), rawId: buffer(5, 6), type: 'public-key', authenticatorAttachment: 'platform',
  getClientExtensionResults: () => ({}),
  response: {
    clientDataJSON: buffer(123, 125), attestationObject: buffer(1, 2, 250),
    getTransports: () => ['internal'], getAuthenticatorData: () => buffer(4),
  },
};
const assertion = {
  id: b64url([5, 6]), rawId: buffer(5, 6), type: 'public-key', authenticatorAttachment: 'platform',
  getClientExtensionResults: () => ({}),
  response: { clientDataJSON: buffer(123, 125), authenticatorData: buffer(4), signature: buffer(255, 254), userHandle: buffer(1, 2, 3) },
};

describe('the WebAuthn JSON forms without the browser\'s parsers', () => {
  it('turns creation and request options into binary ones', () => {
    const options = parseCreationOptions(creationJSON, {});
    assert.deepEqual(new Uint8Array(options.challenge), new Uint8Array([9, 9, 9, 9]));
    assert.deepEqual(new Uint8Array(options.user.id), new Uint8Array([1, 2, 3]));
    assert.equal(options.user.name, 'ada');
    assert.deepEqual(new Uint8Array(options.excludeCredentials[0].id), new Uint8Array([7, 7]));
    assert.deepEqual(options.authenticatorSelection, creationJSON.authenticatorSelection);

    const request = parseRequestOptions({ challenge: b64url([8]), rpId: 'example.com', userVerification: 'required' }, undefined);
    assert.deepEqual(new Uint8Array(request.challenge), new Uint8Array([8]));
    assert.deepEqual(request.allowCredentials, []);
  });

  it('uses the browser\'s parsers and toJSON where it has them', () => {
    const parsed = {};
    assert.equal(parseCreationOptions(creationJSON, { parseCreationOptionsFromJSON: () => parsed }), parsed);
    assert.equal(parseRequestOptions({}, { parseRequestOptionsFromJSON: () => parsed }), parsed);
    assert.equal(credentialToJSON({ toJSON: () => parsed }), parsed);
  });

  it('writes RegistrationResponseJSON and AuthenticationResponseJSON in base64url', () => {
    assert.deepEqual(credentialToJSON(registration), {
      id: 'BQY', rawId: 'BQY', type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: { clientDataJSON: 'e30', attestationObject: 'AQL6', transports: ['internal'], authenticatorData: 'BA' },
    });
    assert.deepEqual(credentialToJSON(assertion).response,
      { clientDataJSON: 'e30', authenticatorData: 'BA', signature: '__4', userHandle: 'AQID' });
  });
});

describe('registerPasskey and loginWithPasskey', () => {
  function setup(respond) {
    const fetch = fakeFetch(respond);
    const store = memoryStore(pair({ sid: 'now', ttl: 3600 }));
    const calls = [];
    const credentials = {
      create: async (options) => { calls.push(['create', options]); return registration; },
      get: async (options) => { calls.push(['get', options]); return assertion; },
    };
    const auth = createAuthFetch({ url: URL, store, fetch, crossTab: false, credentials, PublicKeyCredential: {}, now: clock() });
    return { auth, fetch, store, calls };
  }

  it('registerPasskey asks for options with the tokens, runs create and sends the credential as JSON with the label', async () => {
    const { auth, fetch, calls } = setup(({ body }) => (body.query.includes('passkeyRegistrationOptions')
      ? json({ data: { passkeyRegistrationOptions: JSON.stringify(creationJSON) } })
      : json({ data: { registerPasskey: { id: 'BQY', label: 'Laptop', createdAt: 'now', lastUsedAt: null } } })));

    const passkey = await auth.registerPasskey('Laptop');

    assert.equal(passkey.id, 'BQY');
    assert.deepEqual(new Uint8Array(calls[0][1].publicKey.challenge), new Uint8Array([9, 9, 9, 9]));
    assert.ok(fetch.calls.every((call) => call.access !== null));
    const sent = fetch.calls[1].body.variables;
    assert.equal(sent.label, 'Laptop');
    assert.equal(JSON.parse(sent.credential).response.attestationObject, 'AQL6');
  });

  it('loginWithPasskey asks for options without tokens, runs get and stores the pair it gets', async () => {
    const tokens = pair({ sid: 'passkey' });
    const { auth, fetch, store, calls } = setup(({ body }) => (body.query.includes('passkeyLoginOptions')
      ? json({ data: { passkeyLoginOptions: JSON.stringify({ challenge: b64url([8]), rpId: 'example.com' }) } })
      : json({ data: { loginWithPasskey: tokens } })));

    await auth.loginWithPasskey({ mediation: 'optional' });

    assert.equal(calls[0][0], 'get');
    assert.equal(calls[0][1].mediation, 'optional');
    assert.ok(fetch.calls.every((call) => call.access === null));
    assert.equal(JSON.parse(fetch.calls[1].body.variables.credential).response.userHandle, 'AQID');
    assert.equal(store.get().accessToken, tokens.accessToken);
  });
});
