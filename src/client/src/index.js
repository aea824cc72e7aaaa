import {
  ACCESS_HEADER, REFRESH_HEADER, accessExpiresAt, comparePairs, decodeJwtPayload, sessionOf, toPair,
} from './tokens.js';
import { localStorageStore, memoryStore, sessionStorageStore } from './stores.js';
import { credentialToJSON, parseCreationOptions, parseRequestOptions } from './passkeys.js';
import { createDpop, indexedDbKeyStore, memoryKeyStore } from './dpop.js';

export {
  ACCESS_HEADER, REFRESH_HEADER, accessExpiresAt, comparePairs, decodeJwtPayload,
  localStorageStore, memoryStore, sessionStorageStore, createDpop, indexedDbKeyStore, memoryKeyStore,
};

/** A GraphQL error answered by the login, register, logout or changePassword helpers. */
export class AuthError extends Error {
  constructor(message, { code = null, status = null, errors = [], retryAfterSeconds = null, mfaToken = null } = {}) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.status = status;
    this.errors = errors;
    this.retryAfterSeconds = retryAfterSeconds;
    // MFA_REQUIRED from login: what verifyMfa exchanges, with a code, for the pair.
    this.mfaToken = mfaToken;
  }
}

const DEFAULT_NAME = 'token-auth-graphql';
// How long the tab about to refresh waits for the other tabs to say which pair they hold. A tab
// that has not answered by then is taken to be gone (closed, frozen) until it speaks again.
const PEER_ANSWER_WAIT_MS = 1000;
// A request refused for its access token is sent again at most twice: with a newer pair, or as
// the refresh that finds out whether the session is still alive.
const MAX_ATTEMPTS = 3;
// Codes asked of onMfaRequired per challenge: the server's mfa token dies after as many wrong ones.
const MAX_MFA_CODES = 5;

/**
 * Makes a fetch-compatible function that sends the stored tokens, keeps the newest pair the
 * server returns, refreshes once for all requests (and tabs) when the access token expires, and
 * reports the end of the session. The returned function also carries `login`, `register`,
 * `logout`, `logoutEverywhere`, `changePassword`, `verifyMfa`, `getTokens`, `setTokens` and `close`.
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
    onMfaRequired = null,
    now = Date.now,
    // DPoP proofs from a key this origin keeps in IndexedDB; null (bearer tokens) where the page
    // has no WebCrypto or IndexedDB, and outside browser pages unless given.
    dpop = isBrowserPage() ? createDpop({ now }) : null,
  } = options;
  const baseFetch = givenFetch ?? ((input, init) => globalThis.fetch(input, init));
  const tabId = randomId();
  let knownLoggedIn = store.get() !== null;
  let refreshing = null;
  // The access token the server last refused: the next request refreshes rather than resend it.
  let refusedAccess = null;
  // Sessions ended here or in another tab: a late message carrying one of them does not bring it back.
  const endedSessions = new Set();
  // The other tabs on the channel, and the questions this tab is waiting on them to answer.
  const peers = new Set();
  const asking = new Map();

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

  function isExpiring(pair) {
    // At most half the token's lifetime early, so a short-lived token is not refreshed on every request.
    const payload = decodeJwtPayload(pair.accessToken);
    const lifetimeMs = Number.isFinite(payload?.exp) && Number.isFinite(payload?.iat)
      ? (payload.exp - payload.iat) * 1000 : Infinity;
    return accessExpiresAt(pair) - Math.min(refreshSkewSeconds * 1000, lifetimeMs / 2) <= now();
  }

  function needsRefresh(pair) {
    return isExpiring(pair) || pair.accessToken === refusedAccess;
  }

  // An explicit new login (login, register, changePassword, setTokens): replaces what is stored.
  function storeNewLogin(pair, { broadcast }) {
    store.set(pair);
    knownLoggedIn = true;
    if (broadcast) post({ type: 'login', pair });
  }

  // A pair another tab sent as its login: kept unless its session has ended meanwhile or the
  // store holds a later pair of it.
  function takeLoginFromPeer(pair) {
    const current = store.get();
    if (endedSessions.has(sessionOf(pair)) || (current && comparePairs(pair, current) < 0)) return;
    storeNewLogin(pair, { broadcast: false });
  }

  // A rotated pair: kept only as a later generation of the session already stored, so a late
  // response never puts an older pair back, and a logout or another login is never undone.
  function offerRotated(pair, { broadcast }) {
    const current = store.get();
    if (!current) return false;
    const order = comparePairs(pair, current);
    if (order === null || order <= 0) return false;
    store.set(pair);
    if (broadcast) post({ type: 'tokens', pair });
    return true;
  }

  // `ended` is the pair whose session ends; the other tabs log out only if they hold that session.
  function loggedOut(reason, { broadcast, ended = null }) {
    const sid = ended ? sessionOf(ended) : null;
    if (sid !== null) endedSessions.add(sid);
    store.set(null);
    if (broadcast) post({ type: 'logout', sid });
    if (!knownLoggedIn) return;
    knownLoggedIn = false;
    if (!onLoggedOut) return;
    try {
      onLoggedOut({ reason });
    } catch (error) {
      report(error);
    }
  }

  function storeChangedElsewhere() {
    if (store.get() === null) loggedOut('other-tab', { broadcast: false });
    else knownLoggedIn = true;
  }

  function peerGone(id) {
    peers.delete(id);
    for (const answered of asking.values()) answered(id);
  }

  if (channel) {
    channel.onmessage = ({ data }) => {
      if (!data || data.from === tabId) return;
      if (data.type === 'bye') {
        peerGone(data.from);
        return;
      }
      peers.add(data.from);
      const pair = toPair(data.pair, now());
      switch (data.type) {
        case 'tokens':
          if (pair) offerRotated(pair, { broadcast: false });
          break;
        case 'login':
          if (pair) takeLoginFromPeer(pair);
          break;
        case 'logout': {
          // A logout names its session: one that crossed a new login here says nothing about it.
          const sid = data.sid ?? null;
          if (sid !== null) endedSessions.add(sid);
          const current = store.get();
          if (!current || sessionOf(current) === sid) loggedOut('other-tab', { broadcast: false });
          break;
        }
        case 'hello':
          post({ type: 'sync', to: data.from, pair: store.get() });
          break;
        case 'sync':
          if (data.to !== tabId || !pair) break;
          if (store.get() === null) takeLoginFromPeer(pair);
          else offerRotated(pair, { broadcast: false });
          break;
        case 'ask':
          post({ type: 'answer', to: data.from, id: data.id, pair: store.get() });
          break;
        case 'answer':
          if (data.to !== tabId) break;
          if (pair) offerRotated(pair, { broadcast: false });
          asking.get(data.id)?.(data.from);
          break;
        default:
      }
    };
    // Every tab says it is here; one with an empty store takes the pair of a tab that has one.
    post({ type: 'hello' });
  }

  // A page leaving for the back/forward cache or frozen in the background answers nobody until
  // it comes back; it says so, and asks for the newest pair when it returns.
  const lifecycle = channel ? [
    [globalThis, 'pagehide', () => post({ type: 'bye' })],
    [globalThis, 'pageshow', (event) => { if (event.persisted) post({ type: 'hello' }); }],
    [globalThis.document, 'freeze', () => post({ type: 'bye' })],
    [globalThis.document, 'resume', () => post({ type: 'hello' })],
  ].filter(([target]) => typeof target?.addEventListener === 'function') : [];
  for (const [target, type, listener] of lifecycle) target.addEventListener(type, listener);

  // Asks the other tabs for their pair and keeps the newest of the session: a tab that missed a
  // message learns of a rotation before it sends a refresh token the server has replaced. Resolves
  // when every known tab has answered, or after PEER_ANSWER_WAIT_MS.
  function askPeers() {
    if (!channel || peers.size === 0) return Promise.resolve();
    const id = randomId();
    const waiting = new Set(peers);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        asking.delete(id);
        for (const peer of waiting) peers.delete(peer);
        resolve();
      };
      const timer = setTimeout(finish, PEER_ANSWER_WAIT_MS);
      asking.set(id, (peer) => {
        waiting.delete(peer);
        if (waiting.size === 0) finish();
      });
      post({ type: 'ask', id });
    });
  }

  // Sends with the access token only, or, when `carryRefresh` (only while holding the refresh
  // lock), with the refresh token alone, so the server must refresh even if the access token still
  // has a second left. Resolves to { response, retry }: retry when the access token was refused.
  async function send(input, init, headers, pair, carryRefresh) {
    const sentHeaders = new Headers(headers);
    if (pair) {
      sentHeaders.delete(carryRefresh ? ACCESS_HEADER : REFRESH_HEADER);
      if (carryRefresh) sentHeaders.set(REFRESH_HEADER, pair.refreshToken);
      else sentHeaders.set(ACCESS_HEADER, pair.accessToken);
    }
    const response = await fetchWithProof(input, init, sentHeaders, pair && !carryRefresh ? pair.accessToken : null);
    const retry = pair ? await inspect(response, pair, carryRefresh) : false;
    return { response, retry };
  }

  // With DPoP, each request carries a fresh proof for its method and URL (and the hash of the
  // access token it sends); a request the server refused for want of its nonce goes again once.
  async function fetchWithProof(input, init, headers, accessToken) {
    if (!dpop) return baseFetch(input, { ...init, headers });
    const method = init?.method ?? (isRequest(input) ? input.method : 'GET');
    const target = isRequest(input) ? input.url : String(input);
    const resendable = !isRequest(input) && canReplay(input, init);
    for (let tries = 0; ; tries += 1) {
      const withProof = new Headers(headers);
      try {
        withProof.set('DPoP', await dpop.proof(method, target, accessToken));
      } catch (error) {
        // No key to be had (storage blocked): the request goes as bearer.
        report(error);
      }
      const response = await baseFetch(input, { ...init, headers: withProof });
      if (!dpop.learn(response) || !resendable || tries > 0) return response;
      response.body?.cancel().catch(() => {});
    }
  }

  async function inspect(response, sent, carriedRefresh) {
    const accessToken = response.headers.get(ACCESS_HEADER);
    const refreshToken = response.headers.get(REFRESH_HEADER);
    const rotated = toPair({ accessToken, refreshToken }, now());
    if (rotated) offerRotated(rotated, { broadcast: true });
    let unauthenticated = false;
    if (isJson(response)) {
      try {
        unauthenticated = hasUnauthenticated(await response.clone().json());
      } catch {
        // Not JSON after all: nothing to learn from it.
      }
    }
    // Logged out meanwhile, or another session since: this answer says nothing about the store.
    const current = store.get();
    if (!current || comparePairs(current, sent) === null) return false;
    if (carriedRefresh) {
      // The newest refresh token was refused (a 200 without a new pair), or even the refreshed
      // session is refused: it is over.
      if ((!rotated && response.status === 200) || unauthenticated) {
        loggedOut('unauthenticated', { broadcast: true, ended: current });
      }
      return false;
    }
    if (!unauthenticated) return false;
    // The access token was refused: it expired on the way, or the session is over. Send again
    // with a newer pair when there is one, otherwise refresh to find out.
    if (comparePairs(current, sent) <= 0) refusedAccess = current.accessToken;
    return true;
  }

  // Runs `task(mayRefresh)` holding the cross-tab lock. mayRefresh is false only when another tab
  // held the lock past lockTimeoutMs: its refresh may still be on its way to the server, and a
  // second refresh with the same token arriving after it would be a replay.
  async function withLock(task) {
    if (!locks) return task(true);
    let started = false;
    const run = () => {
      started = true;
      return task(true);
    };
    try {
      const free = await locks.request(lockName, { ifAvailable: true },
        async (lock) => (lock ? { value: await run() } : null));
      if (free) return free.value;
      return await locks.request(lockName, { signal: AbortSignal.timeout(lockTimeoutMs) }, run);
    } catch (error) {
      if (started) throw error;
      if (error?.name === 'TimeoutError' || error?.name === 'AbortError') return task(false);
      // No lock manager to be had here (refused): this page refreshes alone, one request at a time.
      return task(true);
    }
  }

  async function refreshThenSend(input, init, headers) {
    while (refreshing) {
      await refreshing;
      const pair = store.get();
      if (!pair || !needsRefresh(pair)) return send(input, init, headers, pair, false);
    }
    let release;
    const mine = new Promise((resolve) => { release = resolve; });
    refreshing = mine;
    const done = () => {
      if (refreshing === mine) refreshing = null;
      release();
    };
    try {
      const outcome = await withLock(async (mayRefresh) => {
        // The newest pair: the store (shared across tabs or not) and what the other tabs hold.
        await askPeers();
        const current = store.get();
        if (!current || !needsRefresh(current)) return { pair: current };
        if (!mayRefresh) return { pair: current, last: true };
        return { sent: await send(input, init, headers, current, true) };
      });
      if (outcome.sent) return outcome.sent;
      done();
      const sent = await send(input, init, headers, outcome.pair, false);
      return outcome.last ? { response: sent.response, retry: false } : sent;
    } finally {
      done();
    }
  }

  function attempt(input, init, headers) {
    const pair = store.get();
    if (pair && needsRefresh(pair)) return refreshThenSend(input, init, headers);
    return send(input, init, headers, pair, false);
  }

  async function authFetch(input, init) {
    const headers = mergeHeaders(input, init);
    const replayable = canReplay(input, init);
    let next = input;
    for (let count = 1; ; count += 1) {
      const last = !replayable || count === MAX_ATTEMPTS;
      const current = next;
      // A Request's body can be read once: the next attempt gets a copy taken before this one.
      if (!last && isRequest(current)) next = current.clone();
      const { response, retry } = await attempt(current, init, headers);
      if (!retry || last) return response;
      response.body?.cancel().catch(() => {});
    }
  }

  async function graphql(query, variables, { withTokens }) {
    if (!url) throw new TypeError('createAuthFetch: pass `url` (the GraphQL endpoint) to use the helpers');
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    };
    const response = await (withTokens ? authFetch(url, init) : fetchWithProof(url, init, init.headers, null));
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
        mfaToken: first?.extensions?.mfaToken ?? null,
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
    let data;
    try {
      data = await graphql(query, variables, { withTokens: false });
    } catch (error) {
      if (error?.code !== 'MFA_REQUIRED' || !error.mfaToken || !onMfaRequired) throw error;
      return answerChallenge(error);
    }
    return keepTokens(data.login ?? {});
  }

  async function verifyMfa({ mfaToken, code } = {}) {
    const data = await graphql(`mutation VerifyMfa($mfaToken: String!, $code: String!) {
      verifyMfa(mfaToken: $mfaToken, code: $code) { ${tokenFields} } }`, { mfaToken, code }, { withTokens: false });
    return keepTokens(data.verifyMfa ?? {});
  }

  // Asks onMfaRequired for a code (a value or a promise) until one is accepted; a wrong code asks
  // again with the refusal, a null or undefined answer gives up with the MFA_REQUIRED error.
  async function answerChallenge(challenge) {
    let previousError = null;
    for (let attempt = 1; attempt <= MAX_MFA_CODES; attempt += 1) {
      const code = await onMfaRequired({ kind: 'login', attempt, previousError });
      if (code == null) throw challenge;
      try {
        return await verifyMfa({ mfaToken: challenge.mfaToken, code: String(code) });
      } catch (error) {
        if (error?.code !== 'INVALID_MFA_CODE') throw error;
        previousError = error;
      }
    }
    throw previousError;
  }

  // An operation that asks for a current code when the factor is on: without `code`, it is sent
  // without one and, on MFA_REQUIRED, sent again with the code onMfaRequired gives.
  async function withStepUp(kind, code, run) {
    try {
      return await run(code ?? null);
    } catch (error) {
      if (error?.code !== 'MFA_REQUIRED' || code != null || !onMfaRequired) throw error;
      const asked = await onMfaRequired({ kind, attempt: 1, previousError: null });
      if (asked == null) throw error;
      return run(String(asked));
    }
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

  async function changePassword({ oldPassword, newPassword, code } = {}) {
    const data = await withStepUp('changePassword', code, (current) => graphql(
      `mutation ChangePassword($oldPassword: String!, $newPassword: String!, $code: String) {
      changePassword(oldPassword: $oldPassword, newPassword: $newPassword, code: $code) { ${tokenFields} } }`,
      { oldPassword, newPassword, code: current }, { withTokens: true }));
    return keepTokens(data.changePassword ?? {});
  }

  // Logs out here and in the other tabs, then asks the server to end the session(s). An access
  // token about to expire means the request carries the refresh token, which takes the lock and
  // the newest pair first. True when the server confirmed; false when it could not be reached or
  // the session was over.
  async function endSession(field) {
    const pair = store.get();
    if (!pair || !url || !needsRefresh(pair)) return requestEnd(field, pair, false);
    return withLock(async (mayRefresh) => {
      await askPeers();
      const current = store.get();
      return requestEnd(field, current, mayRefresh && current !== null && needsRefresh(current));
    });
  }

  async function requestEnd(field, pair, carryRefresh) {
    loggedOut('logout', { broadcast: true, ended: pair });
    if (!pair || !url) return false;
    try {
      const { response } = await send(url, {
        method: 'POST',
        body: JSON.stringify({ query: `mutation { ${field} }` }),
      }, { 'content-type': 'application/json', accept: 'application/json' }, pair, carryRefresh);
      const body = await response.json();
      return body?.data?.[field] === true;
    } catch {
      return false;
    }
  }

  // Passkeys: the options come from the server as WebAuthn JSON, the credential goes back as JSON.
  const passkeyFields = 'id label createdAt lastUsedAt';

  function webAuthn() {
    const credentials = options.credentials ?? globalThis.navigator?.credentials;
    if (!credentials) throw new AuthError('This browser has no WebAuthn (navigator.credentials)');
    return { credentials, PublicKeyCredential: options.PublicKeyCredential ?? globalThis.PublicKeyCredential };
  }

  async function registerPasskey(label = null) {
    const { credentials, PublicKeyCredential } = webAuthn();
    const data = await graphql('mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }', {},
      { withTokens: true });
    const publicKey = parseCreationOptions(JSON.parse(data.passkeyRegistrationOptions), PublicKeyCredential);
    const credential = await credentials.create({ publicKey });
    const registered = await graphql(`mutation RegisterPasskey($credential: String!, $label: String) {
      registerPasskey(credential: $credential, label: $label) { ${passkeyFields} } }`,
    { credential: JSON.stringify(credentialToJSON(credential)), label }, { withTokens: true });
    return registered.registerPasskey;
  }

  async function loginWithPasskey({ mediation, signal } = {}) {
    const { credentials, PublicKeyCredential } = webAuthn();
    const data = await graphql('mutation PasskeyLoginOptions { passkeyLoginOptions }', {}, { withTokens: false });
    const publicKey = parseRequestOptions(JSON.parse(data.passkeyLoginOptions), PublicKeyCredential);
    const credential = await credentials.get({ publicKey, ...(mediation ? { mediation } : {}), ...(signal ? { signal } : {}) });
    const signedIn = await graphql(`mutation LoginWithPasskey($credential: String!) {
      loginWithPasskey(credential: $credential) { ${tokenFields} } }`,
    { credential: JSON.stringify(credentialToJSON(credential)) }, { withTokens: false });
    return keepTokens(signedIn.loginWithPasskey ?? {});
  }

  authFetch.login = login;
  authFetch.verifyMfa = verifyMfa;
  authFetch.registerPasskey = registerPasskey;
  authFetch.loginWithPasskey = loginWithPasskey;
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
    for (const [target, type, listener] of lifecycle) target.removeEventListener(type, listener);
    post({ type: 'bye' });
    channel?.close();
  };
  return authFetch;
}

/** The caller's headers, from a Request given as input and then init.headers (object, array or Headers). */
export function mergeHeaders(input, init) {
  const headers = new Headers(isRequest(input) ? input.headers : undefined);
  if (init?.headers) {
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
  }
  return headers;
}

function isRequest(input) {
  return typeof Request === 'function' && input instanceof Request;
}

// Whether the request can be sent again: not when its body is a stream that the first send read.
function canReplay(input, init) {
  if (init?.body !== undefined && init.body !== null) {
    return !(typeof ReadableStream === 'function' && init.body instanceof ReadableStream);
  }
  return !isRequest(input) || !input.bodyUsed;
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
