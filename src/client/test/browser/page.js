// The test page: one "app" per tab, built on the client module the way an application would,
// with a fetch wrapper that records which requests carried the refresh token alone.
import { createAuthFetch, decodeJwtPayload, localStorageStore, memoryStore } from '/client/index.js';

const params = new URLSearchParams(location.search);
const api = params.get('api');
const loggedOut = [];
const refreshesSent = [];

const auth = createAuthFetch({
  url: api,
  store: params.get('store') === 'local' ? localStorageStore() : memoryStore(),
  onLoggedOut: ({ reason }) => loggedOut.push(reason),
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    if (headers.has('x-refresh-token') && !headers.has('x-access-token')) {
      refreshesSent.push(headers.get('x-refresh-token'));
    }
    return fetch(input, init);
  },
});

async function loggedInUser() {
  const response = await auth(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ loggedInUser { username } }' }),
  });
  return response.json();
}

/** Queries loggedInUser in bursts of `burst` parallel requests until `ms` have passed. */
async function keepQuerying(ms, { burst = 3, pauseMs = 200 } = {}) {
  const end = Date.now() + ms;
  const generations = new Set();
  const failures = [];
  let answered = 0;
  while (Date.now() < end) {
    const bodies = await Promise.all(Array.from({ length: burst }, () => loggedInUser()));
    for (const body of bodies) {
      if (body?.data?.loggedInUser?.username) answered += 1;
      else failures.push(body);
    }
    const payload = decodeJwtPayload(auth.getTokens()?.accessToken);
    if (payload) generations.add(`${payload.sid}/${payload.gen}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return { answered, failures: failures.slice(0, 5), failureCount: failures.length, generations: [...generations] };
}

window.app = {
  auth,
  loggedInUser,
  keepQuerying,
  loggedOut,
  refreshesSent,
  register: (username, password) => auth.register({ username, password }).then(() => true),
  logout: () => auth.logout(),
  tokens: () => auth.getTokens(),
};
window.appReady = true;
