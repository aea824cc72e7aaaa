import {
  ACCESS_HEADER, REFRESH_HEADER, accessExpiresAt, comparePairs, decodeJwtPayload, toPair,
} from './tokens.js';
import { localStorageStore, memoryStore, sessionStorageStore } from './stores.js';

export {
  ACCESS_HEADER, REFRESH_HEADER, accessExpiresAt, comparePairs, decodeJwtPayload,
  localStorageStore, memoryStore, sessionStorageStore,
};

/** A GraphQL error answered by the login, register, logout or changePassword helpers. */
export class AuthError extends Error {
  constructor(message, { code = null, status = null, errors = [], retryAfterSeconds = null } = {}) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.status = status;
    this.errors = errors;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const DEFAULT_NAME = 'token-auth-graphql';
// After waiting for another tab's refresh, how long to wait for its pair to reach this tab (the
// lock and the message travel separately). Past it this tab refreshes itself, which the
// server's grace window answers with the same pair.
const PEER_PAIR_WAIT_MS = 1000;

/**
 * Makes a fetch-compatible function that sends the stored tokens, keeps the newest pair the
 * server returns, refreshes once for all requests (and tabs) when the access token expires, and
 * reports the end of the session. The returned function also carries `login`, `register`,
 * `logout`, `logoutEverywhere`, `changePassword`, `getTokens`, `setTokens` and `close`.
 */
export function createAuthFetch(options = {}) {
  const {
    url = null,
    store = memoryStore(),
    fetch: givenFetch = null,
    onLoggedOut = null,
    crossTab = isBrowserPage(),
    lockName = `${DEFAULT_NAME}:refresh`,
    channelName = DEFAULT_NAME,
    locks = crossTab ? globalThis.navigator?.locks ?? null : null,
    refreshSkewSeconds = 5,
    lockTimeoutMs = 15000,
    deviceTokens = true,
    now = Date.now,
  } = options;
  const baseFetch = givenFetch ?? ((input, init) => globalThis.fetch(input, init));
  const tabId = randomId();
  const changeListeners = new Set();
  let knownLoggedIn = store.get() !== null;
  let refreshing = null;

  const channel = crossTab && typeof globalThis.BroadcastChannel === 'function'
    ? new globalThis.BroadcastChannel(channelName) : null;
  // In Node an open channel would keep the process alive.
  channel?.unref?.();
  const unsubscribeStore = store.subscribe?.(storeChangedElsewhere) ?? (() => {});

  function post(message) {
    try {
      channel?.postMessage({ ...message, from: tabId });
    } catch {
      // A closed channel: this client is shutting down.
    }
  }

  function changed() {
    for (const listener of [...changeListeners]) listener();
  }

  function isExpiring(pair) {
    // At most half the token's lifetime early, so a short-lived token is not refreshed on every request.
    const payload = decodeJwtPayload(pair.accessToken);
    const lifetimeMs = Number.isFinite(payload?.exp) && Number.isFinite(payload?.iat)
      ? (payload.exp - payload.iat) * 1000 : Infinity;
    return accessExpiresAt(pair) - Math.min(refreshSkewSeconds * 1000, lifetimeMs / 2) <= now();
  }

  // An explicit new login (login, register, changePassword, setTokens): replaces what is stored.
  function storeNewLogin(pair, { broadcast }) {
    store.set(pair);
    knownLoggedIn = true;
    changed();
    if (broadcast) post({ type: 'login', pair });
  }

  // A rotated pair: kept only as a later generation of the session already stored, so a late
  // response never puts an older pair back, and a logout or another login is never undone.
  function offerRotated(pair, { broadcast }) {
    const current = store.get();
    if (!current) return false;
    const order = comparePairs(pair, current);
    if (order === null || order <= 0) return false;
    store.set(pair);
    changed();
    if (broadcast) post({ type: 'tokens', pair });
    return true;
  }

  function loggedOut(reason, { broadcast }) {
    store.set(null);
    changed();
    if (broadcast) post({ type: 'logout' });
    if (!knownLoggedIn) return;
    knownLoggedIn = false;
    if (!onLoggedOut) return;
    try {
      onLoggedOut({ reason });
    } catch (error) {
      report(error);
    }
  }

  // The session a request carried was refused: log out, unless the store meanwhile holds another
  // session (a new login), which that answer says nothing about.
  function sessionRefused(sent) {
    const current = store.get();
    if (current && comparePairs(current, sent) !== null) loggedOut('unauthenticated', { broadcast: true });
  }

  function storeChangedElsewhere() {
    if (store.get() === null) {
      loggedOut('other-tab', { broadcast: false });
    } else {
      knownLoggedIn = true;
      changed();
    }
  }

  if (channel) {
    channel.onmessage = ({ data }) => {
      if (!data || data.from === tabId) return;
      const pair = toPair(data.pair, now());
      switch (data.type) {
        case 'tokens':
          if (pair) offerRotated(pair, { broadcast: false });
          break;
        case 'login': {
          const current = store.get();
          if (pair && !(current && comparePairs(pair, current) < 0)) storeNewLogin(pair, { broadcast: false });
          break;
        }
        case 'logout':
          loggedOut('other-tab', { broadcast: false });
          break;
        case 'hello': {
          const current = store.get();
          if (current) post({ type: 'sync', to: data.from, pair: current });
          break;
        }
        case 'sync':
          if (data.to !== tabId || !pair) break;
          if (store.get() === null) storeNewLogin(pair, { broadcast: false });
          else offerRotated(pair, { broadcast: false });
          break;
        default:
      }
    };
    // A new tab with an empty store takes the pair of a tab that has one.
    if (store.get() === null) post({ type: 'hello' });
  }

  async function send(input, init, headers, pair, carryRefresh) {
    const sentHeaders = new Headers(headers);
    if (pair) {
      // The refreshing request leaves the expired access token out, so the server must use the
      // refresh token even when the access token still has a second or two left.
      if (carryRefresh) sentHeaders.delete(ACCESS_HEADER);
      else sentHeaders.set(ACCESS_HEADER, pair.accessToken);
      sentHeaders.set(REFRESH_HEADER, pair.refreshToken);
    }
    const response = await baseFetch(input, { ...init, headers: sentHeaders });
    if (pair) await inspect(response, pair, carryRefresh);
    return response;
  }

  async function inspect(response, sent, carriedRefresh) {
    const accessToken = response.headers.get(ACCESS_HEADER);
    const refreshToken = response.headers.get(REFRESH_HEADER);
    const rotated = toPair({ accessToken, refreshToken }, now());
    if (rotated) offerRotated(rotated, { broadcast: true });
    // A 200 to a refresh without a new pair: the server refused the refresh token.
    let refused = carriedRefresh && !rotated && response.status === 200;
    if (!refused && isJson(response)) {
      try {
        refused = hasUnauthenticated(await response.clone().json());
      } catch {
        // Not JSON after all: nothing to learn from it.
      }
    }
    if (refused) sessionRefused(sent);
  }

  // Waits for the store to hold something other than `pair` (another tab's new pair), at most `ms`.
  function storeChangeFrom(pair, ms) {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        changeListeners.delete(check);
        resolve(store.get());
      };
      const check = () => {
        if (store.get()?.accessToken !== pair.accessToken) finish();
      };
      const timer = setTimeout(finish, ms);
      changeListeners.add(check);
      check();
    });
  }

  // Runs `task(waited)` holding the cross-tab lock; `waited` says another tab may have held it first.
  async function withLock(task) {
    if (!locks) return task(false);
    let started = false;
    const run = (waited) => {
      started = true;
      return task(waited);
    };
    try {
      const free = await locks.request(lockName, { ifAvailable: true },
        async (lock) => (lock ? { value: await run(false) } : null));
      if (free) return free.value;
      return await locks.request(lockName, { signal: AbortSignal.timeout(lockTimeoutMs) }, () => run(true));
    } catch (error) {
      // No lock to be had (held too long by a frozen tab, or refused): go on without it; the
      // server's grace window answers a second refresh with the same pair.
      if (!started) return task(true);
      throw error;
    }
  }

  async function refreshThenSend(input, init, headers) {
    let pair = store.get();
    while (refreshing) {
      await refreshing;
      pair = store.get();
      if (!pair || !isExpiring(pair)) return send(input, init, headers, pair, false);
    }
    let release;
    const mine = new Promise((resolve) => { release = resolve; });
    refreshing = mine;
    const done = () => {
      if (refreshing === mine) refreshing = null;
      release();
    };
    try {
      const outcome = await withLock(async (waited) => {
        let current = store.get();
        if (waited && current && isExpiring(current)) current = await storeChangeFrom(current, PEER_PAIR_WAIT_MS);
        if (!current || !isExpiring(current)) return { pair: current };
        return { response: await send(input, init, headers, current, true) };
      });
      if (outcome.response) return outcome.response;
      done();
      return await send(input, init, headers, outcome.pair, false);
    } finally {
      done();
    }
  }

  async function authFetch(input, init) {
    const headers = mergeHeaders(input, init);
    const pair = store.get();
    if (pair && isExpiring(pair)) return refreshThenSend(input, init, headers);
    return send(input, init, headers, pair, false);
  }

  async function graphql(query, variables, { withTokens }) {
    if (!url) throw new TypeError('createAuthFetch: pass `url` (the GraphQL endpoint) to use the helpers');
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    };
    const response = await (withTokens ? authFetch(url, init) : baseFetch(url, init));
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Reported below by status.
    }
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    if (errors.length > 0) {
      const first = errors[0];
      throw new AuthError(first?.message ?? 'GraphQL error', {
        code: first?.extensions?.code ?? null,
        status: response.status,
        errors,
        retryAfterSeconds: first?.extensions?.retryAfterSeconds ?? null,
      });
    }
    if (!response.ok || !body?.data) {
      throw new AuthError(`Unexpected HTTP ${response.status} from the GraphQL endpoint`, { status: response.status });
    }
    return body.data;
  }

  const tokenFields = deviceTokens ? 'accessToken refreshToken deviceToken' : 'accessToken refreshToken';

  function keepTokens(tokens) {
    const pair = toPair(tokens, now());
    if (!pair) throw new AuthError('The server returned no tokens');
    if (typeof tokens.deviceToken === 'string' && tokens.deviceToken) store.setDeviceToken?.(tokens.deviceToken);
    storeNewLogin(pair, { broadcast: true });
    return { ...pair, deviceToken: tokens.deviceToken ?? null };
  }

  async function login({ username, password, deviceToken } = {}) {
    const variables = { username, password };
    let query = `mutation Login($username: String!, $password: String!) {
      login(username: $username, password: $password) { ${tokenFields} } }`;
    if (deviceTokens) {
      variables.deviceToken = deviceToken ?? store.getDeviceToken?.() ?? null;
      query = `mutation Login($username: String!, $password: String!, $deviceToken: String) {
      login(username: $username, password: $password, deviceToken: $deviceToken) { ${tokenFields} } }`;
    }
    const data = await graphql(query, variables, { withTokens: false });
    return keepTokens(data.login ?? {});
  }

  async function register({ username, password, email } = {}) {
    const data = email == null
      ? await graphql(`mutation Register($username: String!, $password: String!) {
      register(username: $username, password: $password) { ${tokenFields} } }`,
      { username, password }, { withTokens: false })
      : await graphql(`mutation Register($username: String!, $password: String!, $email: String) {
      register(username: $username, password: $password, email: $email) { ${tokenFields} } }`,
      { username, password, email }, { withTokens: false });
    return keepTokens(data.register ?? {});
  }

  // No tokens are sent or kept: a reset needs none, and after it the user logs in again.
  async function requestPasswordReset({ email } = {}) {
    const data = await graphql(`mutation RequestPasswordReset($email: String!) {
      requestPasswordReset(email: $email) }`, { email }, { withTokens: false });
    return data.requestPasswordReset === true;
  }

  async function resetPassword({ email, code, newPassword } = {}) {
    const data = await graphql(`mutation ResetPassword($email: String!, $code: String!, $newPassword: String!) {
      resetPassword(email: $email, code: $code, newPassword: $newPassword) }`,
    { email, code, newPassword }, { withTokens: false });
    if (data.resetPassword === true) loggedOut('logout', { broadcast: true });
    return data.resetPassword === true;
  }

  async function changePassword({ oldPassword, newPassword } = {}) {
    const data = await graphql(`mutation ChangePassword($oldPassword: String!, $newPassword: String!) {
      changePassword(oldPassword: $oldPassword, newPassword: $newPassword) { ${tokenFields} } }`,
    { oldPassword, newPassword }, { withTokens: true });
    return keepTokens(data.changePassword ?? {});
  }

  // Logs out here and in the other tabs first, then asks the server to end the session(s).
  // True when the server confirmed; false when it could not be reached or the session was over.
  async function endSession(field) {
    const pair = store.get();
    loggedOut('logout', { broadcast: true });
    if (!pair || !url) return false;
    try {
      const response = await send(url, {
        method: 'POST',
        body: JSON.stringify({ query: `mutation { ${field} }` }),
      }, { 'content-type': 'application/json', accept: 'application/json' }, pair, false);
      const body = await response.json();
      return body?.data?.[field] === true;
    } catch {
      return false;
    }
  }

  authFetch.login = login;
  authFetch.register = register;
  authFetch.changePassword = changePassword;
  authFetch.requestPasswordReset = requestPasswordReset;
  authFetch.resetPassword = resetPassword;
  authFetch.logout = () => endSession('logout');
  authFetch.logoutEverywhere = () => endSession('logoutEverywhere');
  authFetch.getTokens = () => {
    const pair = store.get();
    return pair && { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
  };
  authFetch.setTokens = (tokens) => keepTokens(tokens ?? {});
  authFetch.close = () => {
    unsubscribeStore();
    channel?.close();
  };
  return authFetch;
}

/** The caller's headers, from a Request given as input and then init.headers (object, array or Headers). */
export function mergeHeaders(input, init) {
  const headers = new Headers(typeof Request === 'function' && input instanceof Request ? input.headers : undefined);
  if (init?.headers) {
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
  }
  return headers;
}

function hasUnauthenticated(body) {
  const results = Array.isArray(body) ? body : [body];
  return results.some((result) => Array.isArray(result?.errors)
    && result.errors.some((error) => error?.extensions?.code === 'UNAUTHENTICATED'));
}

function isJson(response) {
  const type = response.headers.get('content-type') ?? '';
  return /\bjson\b/i.test(type) && !/multipart/i.test(type);
}

function isBrowserPage() {
  return typeof globalThis.window === 'object' && globalThis.window === globalThis
    && typeof globalThis.document === 'object';
}

function randomId() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function report(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}
