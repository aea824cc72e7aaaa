// Real Chromium against the real server with no refresh grace window, so that any refresh token
// presented after the one that replaced it is a replay and ends every session of the user:
// a tab that missed a rotation, a request held in the network across a rotation, and a logout
// crossing a new login in another tab must all leave the user logged in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { chromium } from 'playwright-core';

import { requireChromium, startServer, startStaticOrigin } from './support.js';

const PASSWORD = 'correct horse battery staple';
const GRACE_SECONDS = 0;
const ROTATION_WAIT_MS = 30_000;

let server;
let origins;
let browser;

async function openTab(context, origin, store = 'memory') {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${origin.origin}] page error:`, error));
  await page.goto(`${origin.origin}/?api=${encodeURIComponent(server.url)}&store=${store}`);
  await page.waitForFunction(() => window.appReady === true);
  return page;
}

/** Two tabs of one origin logged in as `username`: the first registers, the second takes its pair. */
async function twoTabs(origin, username) {
  const context = await browser.newContext();
  const first = await openTab(context, origin);
  assert.equal(await first.evaluate(([u, p]) => window.app.register(u, p), [username, PASSWORD]), true);
  const second = await openTab(context, origin);
  await second.waitForFunction(() => window.app.tokens() !== null, null, { timeout: 10_000 });
  return { context, first, second };
}

/**
 * Waits (at most 20 s) until the clock is past second `s`. Used only to set a scene: that the
 * server takes an access token as expired and a replaced refresh token as replayed; what the tests
 * then check is what the server answered.
 */
async function untilPastSecond(s) {
  const deadline = Date.now() + 20_000;
  while (Math.floor(Date.now() / 1000) <= s) {
    if (Date.now() > deadline) throw new Error(`the clock did not pass ${s}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function assertLoggedIn(page, username, what) {
  const body = await page.evaluate(() => window.app.loggedInUser());
  assert.equal(body?.data?.loggedInUser?.username, username, `${what}: ${JSON.stringify(body?.errors)}`);
}

describe('in Chromium, against a server without a refresh grace window', { timeout: 600_000 }, () => {
  before(async () => {
    const executablePath = requireChromium();
    origins = await Promise.all([startStaticOrigin(), startStaticOrigin(), startStaticOrigin()]);
    server = await startServer({
      ACCESS_TOKEN_TTL_SECONDS: '10',
      REFRESH_GRACE_SECONDS: String(GRACE_SECONDS),
      CORS_ALLOWED_ORIGINS: origins.map((o) => o.origin).join(','),
    });
    browser = await chromium.launch({ executablePath });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all((origins ?? []).map((origin) => origin.close()));
  });

  it('a tab that missed the message with the rotated pair does not present the replaced refresh token', async () => {
    const username = 'missed';
    const { context, first, second } = await twoTabs(origins[0], username);
    const before = await first.evaluate(() => window.app.session());
    const replaced = (await first.evaluate(() => window.app.tokens())).refreshToken;

    // The first tab misses every pair the second broadcasts while the second refreshes.
    await first.evaluate(() => window.app.channel.drop('tokens'));
    const rotated = await second.evaluate((ms) => window.app.untilRotated(ms), ROTATION_WAIT_MS);
    assert.ok((await first.evaluate(() => window.app.channel.dropped())).includes('tokens'), 'a message was dropped');
    assert.deepEqual(await first.evaluate(() => window.app.session()), before, 'the first tab still holds the old pair');
    await first.evaluate(() => window.app.channel.drop());

    // Its access token has expired and the replaced refresh token is past the grace window.
    await untilPastSecond(Math.max(before.exp, rotated.iat + GRACE_SECONDS));
    await assertLoggedIn(first, username, 'the tab that missed the rotation');
    await assertLoggedIn(second, username, 'the tab that rotated');
    assert.ok(!(await first.evaluate(() => window.app.sent.map((s) => s.refresh))).includes(replaced),
      'the replaced refresh token was not sent again');
    for (const page of [first, second]) assert.deepEqual(await page.evaluate(() => window.app.loggedOut), []);
    await context.close();
  });

  it('a request held in the network while another rotates the pair does not carry the old refresh token', async () => {
    const username = 'delayed';
    const { context, first, second } = await twoTabs(origins[1], username);
    const before = await first.evaluate(() => window.app.session());
    const replaced = (await first.evaluate(() => window.app.tokens())).refreshToken;

    let held;
    const heldArrived = new Promise((resolve) => { held = { arrived: resolve }; });
    const gate = new Promise((resolve) => { held.release = resolve; });
    await first.route(server.url, async (route) => {
      const request = route.request();
      if (request.method() === 'POST' && request.postData()?.includes('Delayed')) {
        held.arrived(await request.allHeaders());
        await gate;
      }
      await route.continue();
    });
    const delayed = first.evaluate(() => window.app.loggedInUser('Delayed'));
    const heldHeaders = await heldArrived;

    // Meanwhile the other tab refreshes, and the held request's access token expires.
    const rotated = await second.evaluate((ms) => window.app.untilRotated(ms), ROTATION_WAIT_MS);
    await untilPastSecond(Math.max(before.exp, rotated.iat + GRACE_SECONDS));
    held.release();

    const body = await delayed;
    assert.equal(body?.data?.loggedInUser?.username, username, `the held request: ${JSON.stringify(body?.errors)}`);
    // Says only whether the header was there: a failure message never shows a token.
    assert.equal('x-refresh-token' in heldHeaders, false, 'the held request carried no refresh token');
    await assertLoggedIn(first, username, 'the tab whose request was held');
    await assertLoggedIn(second, username, 'the tab that rotated');
    assert.ok(!(await first.evaluate(() => window.app.sent.map((s) => s.refresh))).includes(replaced),
      'the first tab never sent the replaced refresh token');
    for (const page of [first, second]) assert.deepEqual(await page.evaluate(() => window.app.loggedOut), []);
    await context.close();
  });

  it('a logout that crosses a new login in another tab does not end the new login', async () => {
    const username = 'crossing';
    const { context, first, second } = await twoTabs(origins[2], username);
    const before = await second.evaluate(() => window.app.session());

    // The first tab logs out; its message reaches the second only after the second logged in again.
    await second.evaluate(() => window.app.channel.hold('logout'));
    assert.equal(await first.evaluate(() => window.app.logout()), true, 'the server ended the session');
    await second.waitForFunction(() => window.app.channel.held() > 0, null, { timeout: 10_000 });
    assert.equal(await second.evaluate(([u, p]) => window.app.login(u, p), [username, PASSWORD]), true);
    const fresh = await second.evaluate(() => window.app.session());
    assert.notEqual(fresh.sid, before.sid, 'a new session');
    await first.waitForFunction((sid) => window.app.session()?.sid === sid, fresh.sid, { timeout: 10_000 });
    await second.evaluate(() => window.app.channel.release());

    assert.deepEqual(await second.evaluate(() => window.app.session()), fresh, 'the new login is still stored');
    assert.deepEqual(await second.evaluate(() => window.app.loggedOut), []);
    assert.deepEqual(await first.evaluate(() => window.app.loggedOut), ['logout']);
    await assertLoggedIn(second, username, 'the tab that logged in');
    await assertLoggedIn(first, username, 'the tab that logged out and took the new login');
    await context.close();
  });
});
