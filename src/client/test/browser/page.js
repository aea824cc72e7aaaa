// The test page: one "app" per tab, built on the client module the way an application would,
// with a fetch wrapper that records which tokens each request carried, and a BroadcastChannel
// the tests can make drop or hold messages, as a tab that misses them would.
import { createAuthFetch, decodeJwtPayload, localStorageStore, memoryStore } from '/client/index.js';

const params = new URLSearchParams(location.search);
const api = params.get('api');
const loggedOut = [];
const refreshesSent = [];
const sent = [];

// Installed before createAuthFetch opens its channel: messages of the types in `drop` never reach
// the client, those in `hold` reach it when the test calls release().
const channel = { drop: new Set(), hold: new Set(), dropped: [], held: [] };
const RealBroadcastChannel = window.BroadcastChannel;
window.BroadcastChannel = class extends RealBroadcastChannel {
  set onmessage(handler) {
    super.onmessage = (event) => {
      const type = event.data?.type;
      if (channel.drop.has(type)) channel.dropped.push(type);
      else if (channel.hold.has(type)) channel.held.push(() => handler.call(this, event));
      else handler.call(this, event);
    };
  }

  get onmessage() {
    return super.onmessage;
  }
};

const auth = createAuthFetch({
  url: api,
  store: params.get('store') === 'local' ? localStorageStore() : memoryStore(),
  onLoggedOut: ({ reason }) => loggedOut.push(reason),
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({ access: headers.get('x-access-token'), refresh: headers.get('x-refresh-token'), dpop: headers.get('dpop') });
    if (headers.has('x-refresh-token') && !headers.has('x-access-token')) {
      refreshesSent.push(headers.get('x-refresh-token'));
    }
    return fetch(input, init);
  },
});

/** Queries loggedInUser, as the named operation when given one (so a test can pick it out). */
async function loggedInUser(operationName = null) {
  const response = await auth(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: `query ${operationName ?? ''} { loggedInUser { username } }` }),
  });
  return response.json();
}

/** The stored access token's claims that say which session and generation this tab holds. */
function session() {
  const payload = decodeJwtPayload(auth.getTokens()?.accessToken);
  return payload && { sid: payload.sid, gen: payload.gen, iat: payload.iat, exp: payload.exp };
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

/** Queries loggedInUser until the stored pair is a later generation (the client refreshed), at most `ms`. */
async function untilRotated(ms) {
  const start = session();
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const body = await loggedInUser();
    if (!body?.data?.loggedInUser) throw new Error(`not answered: ${JSON.stringify(body?.errors)}`);
    const now = session();
    if (now && start && now.sid === start.sid && now.gen > start.gen) return now;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no rotation within ${ms} ms`);
}

window.app = {
  auth,
  loggedInUser,
  keepQuerying,
  untilRotated,
  session,
  loggedOut,
  refreshesSent,
  sent,
  channel: {
    drop: (...types) => { channel.drop = new Set(types); },
    hold: (...types) => { channel.hold = new Set(types); },
    release: () => {
      channel.hold = new Set();
      for (const deliver of channel.held.splice(0)) deliver();
    },
    dropped: () => [...channel.dropped],
    held: () => channel.held.length,
  },
  register: (username, password) => auth.register({ username, password }).then(() => true),
  login: (username, password) => auth.login({ username, password }).then(() => true),
  logout: () => auth.logout(),
  tokens: () => auth.getTokens(),
  setTokens: (tokens) => auth.setTokens(tokens),
  // The DPoP key as IndexedDB keeps it: whether script can read the private key out.
  dpopKey: () => new Promise((resolve, reject) => {
    const open = indexedDB.open('token-auth-graphql');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('keys').objectStore('keys').get('dpop');
      get.onsuccess = async () => {
        const pair = get.result;
        let exported = null;
        try {
          await crypto.subtle.exportKey('jwk', pair.privateKey);
          exported = 'exported';
        } catch (error) {
          exported = error.name;
        }
        resolve({ extractable: pair.privateKey.extractable, exported });
      };
    };
  }),
};
window.appReady = true;
