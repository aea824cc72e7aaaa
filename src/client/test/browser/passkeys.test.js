// Real Chromium against the real server (./mvnw spring-boot:test-run) with a virtual authenticator
// from the DevTools protocol (CTAP2, internal transport, resident keys, user verification): the
// client's registerPasskey and loginWithPasskey run the whole ceremony in the browser. The pages
// are on http://localhost:<port> (a relying-party id must be a host name, not an address); the
// server allows one of the two origins.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { chromium } from 'playwright-core';

import { requireChromium, startServer, startStaticOrigin } from './support.js';

const PASSWORD = 'correct horse battery staple';

let server;
let allowed;
let notAllowed;
let browser;
let page;
let cdp;
let authenticatorId;

const onLocalhost = (origin) => origin.origin.replace('127.0.0.1', 'localhost');

async function open(origin) {
  await page.goto(`${onLocalhost(origin)}/?api=${encodeURIComponent(server.url)}&store=memory`);
  await page.waitForFunction(() => window.appReady === true);
}

/** Runs `name` on the page's authFetch; resolves with its result or { error, code }. */
function call(name, ...args) {
  return page.evaluate(async ([method, methodArgs]) => {
    try {
      return { result: await window.app.auth[method](...methodArgs) };
    } catch (error) {
      return { error: error.message, code: error.code ?? error.name };
    }
  }, [name, args]);
}

function graphql(query, variables = {}) {
  return page.evaluate(async ([q, v]) => {
    const response = await window.app.auth(new URL(location.href).searchParams.get('api'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q, variables: v }),
    });
    return response.json();
  }, [query, variables]);
}

describe('passkeys in Chromium, against the local server', { timeout: 600_000 }, () => {
  before(async () => {
    const executablePath = requireChromium();
    [allowed, notAllowed] = await Promise.all([startStaticOrigin(), startStaticOrigin()]);
    server = await startServer({ WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: onLocalhost(allowed) });
    browser = await chromium.launch({ executablePath });
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await open(allowed);
    // The authenticator belongs to the tab and keeps its credentials across navigations.
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
        isUserVerified: true, automaticPresenceSimulation: true,
      },
    }));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([allowed, notAllowed].filter(Boolean).map((origin) => origin.close()));
  });

  it('registers a passkey, signs in with it after a logout without a password, refuses another origin, and removes it', async () => {
    assert.equal(await page.evaluate(([u, p]) => window.app.register(u, p), ['ada', PASSWORD]), true);

    const registered = await call('registerPasskey', 'This laptop');
    assert.ok(registered.result, JSON.stringify(registered));
    assert.equal(registered.result.label, 'This laptop');
    assert.equal(registered.result.lastUsedAt, null);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true);

    assert.equal(await page.evaluate(() => window.app.logout()), true);
    assert.equal(await page.evaluate(() => window.app.tokens()), null);

    const signedIn = await call('loginWithPasskey');
    assert.ok(signedIn.result?.accessToken, JSON.stringify(signedIn));
    const me = await graphql('{ loggedInUser { username passkeys { id label lastUsedAt } } }');
    assert.equal(me.data.loggedInUser.username, 'ada');
    assert.equal(me.data.loggedInUser.passkeys.length, 1);
    assert.equal(me.data.loggedInUser.passkeys[0].id, registered.result.id);
    assert.ok(me.data.loggedInUser.passkeys[0].lastUsedAt);

    // The same passkey (the relying party is localhost on every port) from a page the server does not allow.
    await open(notAllowed);
    const refused = await call('loginWithPasskey');
    assert.equal(refused.code, 'INVALID_CREDENTIALS', JSON.stringify(refused));
    assert.equal(await page.evaluate(() => window.app.tokens()), null);
    assert.match(server.output(), /passkey_login_failed[^\n]*origin_not_allowed/);

    await open(allowed);
    assert.ok((await call('loginWithPasskey')).result?.accessToken);
    const wrongPassword = await graphql('mutation($id: ID!, $p: String!) { removePasskey(id: $id, password: $p) }',
      { id: registered.result.id, p: 'not the password' });
    assert.equal(wrongPassword.errors[0].extensions.code, 'INVALID_CREDENTIALS');
    const removed = await graphql('mutation($id: ID!, $p: String!) { removePasskey(id: $id, password: $p) }',
      { id: registered.result.id, p: PASSWORD });
    assert.equal(removed.data.removePasskey, true);

    assert.equal(await page.evaluate(() => window.app.logout()), true);
    const afterRemoval = await call('loginWithPasskey');
    assert.equal(afterRemoval.code, 'INVALID_CREDENTIALS', JSON.stringify(afterRemoval));
  });

  it('does the same in a browser without WebAuthn\'s JSON parsers and toJSON, through the client\'s fallback', async () => {
    await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
    await open(allowed);
    await page.evaluate(() => {
      delete PublicKeyCredential.parseCreationOptionsFromJSON;
      delete PublicKeyCredential.parseRequestOptionsFromJSON;
      delete PublicKeyCredential.prototype.toJSON;
    });
    assert.equal(await page.evaluate(() => typeof PublicKeyCredential.parseCreationOptionsFromJSON), 'undefined');
    assert.equal(await page.evaluate(([u, p]) => window.app.register(u, p), ['grace', PASSWORD]), true);

    const registered = await call('registerPasskey', null);
    assert.ok(registered.result?.id, JSON.stringify(registered));
    assert.equal(await page.evaluate(() => window.app.logout()), true);

    const signedIn = await call('loginWithPasskey');
    assert.ok(signedIn.result?.accessToken, JSON.stringify(signedIn));
    assert.equal((await graphql('{ loggedInUser { username } }')).data.loggedInUser.username, 'grace');
  });
});
