// Real Chromium against the real server (./mvnw spring-boot:test-run, access tokens of 10 s):
// a page logs in with DPoP, its tabs keep one bound session alive across rotations, and the
// tokens copied out of the page are refused from another page and from Node, the replaced
// refresh token inside the grace window included; so are proofs that are not the page's own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { chromium } from 'playwright-core';

import { createDpop, decodeJwtPayload, memoryKeyStore } from '../../src/index.js';
import { requireChromium, startServer, startStaticOrigin } from './support.js';

const PASSWORD = 'correct horse battery staple';
const QUERY_SECONDS = Number(process.env.DPOP_TEST_SECONDS || 25);

let server;
let origin;
let browser;

async function openTab(context) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`${origin.origin}/?api=${encodeURIComponent(server.url)}&store=local`);
  await page.waitForFunction(() => window.appReady === true);
  return page;
}

/** A request from Node: `headers` as given, loggedInUser as the query. */
async function fromNode(headers) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ loggedInUser { username } }' }),
  });
  const body = await response.json();
  return {
    status: response.status,
    code: body.errors?.[0]?.extensions?.code ?? null,
    username: body.data?.loggedInUser?.username ?? null,
    newPair: response.headers.get('x-refresh-token') !== null,
    challenge: response.headers.get('www-authenticate'),
  };
}

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('DPoP in Chromium, against the local server', { timeout: 600_000 }, () => {
  before(async () => {
    const executablePath = requireChromium();
    origin = await startStaticOrigin();
    server = await startServer({
      ACCESS_TOKEN_TTL_SECONDS: '10',
      // Long enough that every replay below lands inside the grace window, however slow the machine.
      REFRESH_GRACE_SECONDS: '300',
      CORS_ALLOWED_ORIGINS: origin.origin,
    });
    browser = await chromium.launch({ executablePath });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await origin?.close();
  });

  it('binds the session to a key the page cannot read, and copied tokens and foreign proofs are refused', async () => {
    const context = await browser.newContext();
    const first = await openTab(context);
    assert.equal(await first.evaluate((p) => window.app.register('ada', p), PASSWORD), true);
    const second = await openTab(context);
    await second.waitForFunction(() => window.app.tokens() !== null, null, { timeout: 10_000 });

    const key = await first.evaluate(() => window.app.dpopKey());
    assert.deepEqual(key, { extractable: false, exported: 'InvalidAccessError' });
    const login = await first.evaluate(() => window.app.tokens());
    const jkt = decodeJwtPayload(login.accessToken).cnf?.jkt;
    assert.ok(jkt, 'the access token is bound');

    // Both tabs keep the bound session through several rotations.
    const runs = await Promise.all([first, second].map((page) => page.evaluate(
      (ms) => window.app.keepQuerying(ms), QUERY_SECONDS * 1000)));
    for (const run of runs) {
      assert.equal(run.failureCount, 0, `failed answers ${JSON.stringify(run.failures)}`);
      assert.ok(run.answered > 0);
    }
    const generations = new Set(runs.flatMap((run) => run.generations));
    assert.ok(generations.size >= 3, `rotations seen: ${[...generations]}`);
    for (const page of [first, second]) assert.deepEqual(await page.evaluate(() => window.app.loggedOut), []);

    // The pair the page holds now, and the replaced refresh token right after the next rotation.
    const replaced = await first.evaluate(() => window.app.tokens());
    await first.evaluate(() => window.app.untilRotated(30_000));
    const current = await first.evaluate(() => window.app.tokens());
    assert.equal(decodeJwtPayload(current.accessToken).cnf?.jkt, jkt, 'the refreshed pair stays bound');
    const sent = await first.evaluate(() => window.app.sent);
    const refreshProof = sent.findLast((request) => request.refresh && !request.access)?.dpop;
    assert.ok(refreshProof, 'the refresh carried a proof');

    // From Node: the copied access token, bare or with a proof of Node's own key.
    const thief = createDpop({ keyStore: memoryKeyStore() });
    const bare = await fromNode({ 'x-access-token': current.accessToken });
    assert.equal(bare.code, 'UNAUTHENTICATED');
    assert.match(bare.challenge, /^DPoP /);
    const ownKey = await fromNode({ 'x-access-token': current.accessToken,
      dpop: await thief.proof('POST', server.url, current.accessToken) });
    assert.equal(ownKey.code, 'UNAUTHENTICATED');

    // The copied refresh tokens: the current one, and the replaced one inside the grace window
    // (which a bearer session would answer with the new pair), bare or with Node's key.
    for (const refreshToken of [current.refreshToken, replaced.refreshToken]) {
      for (const dpop of [null, await thief.proof('POST', server.url)]) {
        const outcome = await fromNode({ 'x-refresh-token': refreshToken, ...(dpop ? { dpop } : {}) });
        assert.equal(outcome.newPair, false);
        assert.equal(outcome.code, 'UNAUTHENTICATED');
      }
    }
    // The page's own refresh, replayed with its very proof: the proof's jti was spent.
    const replay = await fromNode({ 'x-refresh-token': replaced.refreshToken, dpop: refreshProof });
    assert.equal(replay.newPair, false);

    // Proofs that are not valid for the request are refused with 401.
    const { jwk } = JSON.parse(Buffer.from(refreshProof.split('.')[0], 'base64url').toString());
    const payload = { jti: 'x1', htm: 'POST', htu: server.url, iat: Math.floor(Date.now() / 1000) };
    const old = createDpop({ keyStore: memoryKeyStore(), now: () => Date.now() - 10 * 60_000 });
    const invalid = {
      'another URL': await thief.proof('POST', server.url.replace('/graphql', '/other'), current.accessToken),
      'another method': await thief.proof('GET', server.url, current.accessToken),
      'an old iat': await old.proof('POST', server.url, current.accessToken),
      'alg none': `${b64({ typ: 'dpop+jwt', alg: 'none', jwk })}.${b64(payload)}.`,
      HS256: `${b64({ typ: 'dpop+jwt', alg: 'HS256', jwk })}.${b64(payload)}.c2lnbmF0dXJl`,
      'the page key, signed by another': `${refreshProof.split('.').slice(0, 2).join('.')}.${
        (await thief.proof('POST', server.url)).split('.')[2]}`,
    };
    for (const [what, dpop] of Object.entries(invalid)) {
      const outcome = await fromNode({ 'x-access-token': current.accessToken, dpop });
      assert.equal(outcome.status, 401, what);
      assert.equal(outcome.code, 'INVALID_DPOP_PROOF', what);
      assert.match(outcome.challenge, /^DPoP error="invalid_dpop_proof"/, what);
    }

    // Another page (another browser profile, so another key) given the copied pair.
    const otherContext = await browser.newContext();
    const other = await openTab(otherContext);
    await other.evaluate((tokens) => window.app.setTokens(tokens), current);
    const elsewhere = await other.evaluate(() => window.app.loggedInUser());
    assert.equal(elsewhere.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    await otherContext.close();

    // None of it touched the page's session: no reuse detection, the tabs still work.
    for (const page of [first, second]) {
      const body = await page.evaluate(() => window.app.loggedInUser());
      assert.equal(body.data?.loggedInUser?.username, 'ada');
      assert.deepEqual(await page.evaluate(() => window.app.loggedOut), []);
    }
    await context.close();
  });
});
