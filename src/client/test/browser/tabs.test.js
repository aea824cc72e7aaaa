// Real Chromium against the real server (./mvnw spring-boot:test-run, access tokens of 10 s):
// tabs of one origin share one session through many rotations, a second origin passes the CORS
// preflight, an unlisted origin does not, and a logout in one tab logs the others out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { chromium } from 'playwright-core';

import { requireChromium, startServer, startStaticOrigin } from './support.js';

const PASSWORD = 'correct horse battery staple';
const QUERY_SECONDS = Number(process.env.TABS_TEST_SECONDS || 65);

let server;
let originA;
let originB;
let originUnlisted;
let browser;
let context;

async function openTab(origin, store) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${origin}] page error:`, error));
  await page.goto(`${origin.origin}/?api=${encodeURIComponent(server.url)}&store=${store}`);
  await page.waitForFunction(() => window.appReady === true);
  return page;
}

describe('in Chromium, against the local server', { timeout: 600_000 }, () => {
  before(async () => {
    const executablePath = requireChromium();
    [originA, originB, originUnlisted] = await Promise.all([startStaticOrigin(), startStaticOrigin(), startStaticOrigin()]);
    server = await startServer({
      ACCESS_TOKEN_TTL_SECONDS: '10',
      CORS_ALLOWED_ORIGINS: `${originA.origin},${originB.origin}`,
    });
    browser = await chromium.launch({ executablePath });
    // One browser profile: its pages are tabs that share storage, BroadcastChannel and locks.
    context = await browser.newContext();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([originA, originB, originUnlisted].filter(Boolean).map((origin) => origin.close()));
  });

  it('answers a CORS preflight from a listed origin with the token headers allowed', async () => {
    const response = await fetch(server.url, {
      method: 'OPTIONS',
      headers: {
        origin: originB.origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-access-token,x-refresh-token',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), originB.origin);
    const allowed = response.headers.get('access-control-allow-headers').split(',');
    for (const header of ['content-type', 'x-access-token', 'x-refresh-token']) assert.ok(allowed.includes(header), header);
    assert.match(response.headers.get('access-control-expose-headers'), /x-access-token/);
  });

  it('two tabs of one origin keep one session alive across many rotations, with either store', async () => {
    const origins = [
      { name: 'memory store', origin: originA, store: 'memory', username: 'ada' },
      { name: 'localStorage store', origin: originB, store: 'local', username: 'grace' },
    ];
    for (const o of origins) {
      o.first = await openTab(o.origin, o.store);
      assert.equal(await o.first.evaluate(([u, p]) => window.app.register(u, p), [o.username, PASSWORD]), true);
      // The second tab starts with nothing of its own: it takes the pair from the first.
      o.second = await openTab(o.origin, o.store);
      await o.second.waitForFunction(() => window.app.tokens() !== null, null, { timeout: 10_000 });
    }

    const runs = await Promise.all(origins.flatMap((o) => [o.first, o.second]
      .map((page) => page.evaluate((ms) => window.app.keepQuerying(ms), QUERY_SECONDS * 1000))));

    for (const [index, o] of origins.entries()) {
      const [first, second] = runs.slice(index * 2, index * 2 + 2);
      for (const [tab, run] of [['first', first], ['second', second]]) {
        assert.equal(run.failureCount, 0, `${o.name}, ${tab} tab: failed answers ${JSON.stringify(run.failures)}`);
        assert.ok(run.answered > 0, `${o.name}, ${tab} tab answered`);
      }
      const generations = new Set([...first.generations, ...second.generations]);
      assert.ok(generations.size >= 5, `${o.name}: rotations seen: ${[...generations]}`);
      assert.equal(new Set([...generations].map((g) => g.split('/')[0])).size, 1, `${o.name}: one session`);
      const refreshes = [
        ...await o.first.evaluate(() => window.app.refreshesSent),
        ...await o.second.evaluate(() => window.app.refreshesSent),
      ];
      assert.equal(new Set(refreshes).size, refreshes.length, `${o.name}: each refresh token was sent once`);
      for (const page of [o.first, o.second]) {
        assert.deepEqual(await page.evaluate(() => window.app.loggedOut), [], `${o.name}: no tab was logged out`);
      }
      console.log(`${o.name}: ${first.answered + second.answered} answers, ${generations.size} generations, `
        + `${refreshes.length} refreshing requests`);
    }

    // A logout in one tab logs the other out, and the server ends the session.
    for (const o of origins) {
      const before = await o.second.evaluate(() => window.app.tokens());
      assert.equal(await o.first.evaluate(() => window.app.logout()), true, `${o.name}: the server confirmed`);
      await o.second.waitForFunction(() => window.app.loggedOut.length > 0, null, { timeout: 10_000 });
      assert.deepEqual(await o.second.evaluate(() => window.app.loggedOut), ['other-tab'], o.name);
      assert.equal(await o.second.evaluate(() => window.app.tokens()), null, o.name);
      const after = await o.second.evaluate(() => window.app.loggedInUser());
      assert.equal(after.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', o.name);
      const replay = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-refresh-token': before.refreshToken },
        body: JSON.stringify({ query: '{ loggedInUser { username } }' }),
      });
      assert.equal(replay.headers.get('x-access-token'), null, `${o.name}: the old refresh token is dead`);
      assert.equal((await replay.json()).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    }
  });

  it('refuses a page on an origin the server does not list (CORS)', async () => {
    const page = await openTab(originUnlisted, 'memory');
    const outcome = await page.evaluate(() => window.app.loggedInUser().then(() => 'answered', (error) => error.name));
    assert.equal(outcome, 'TypeError');
  });
});
