// DPoP (RFC 9449): a key pair this origin holds and proofs signed with it, so that tokens the
// server bound to the key are useless anywhere else. The private key is a WebCrypto key created
// with `extractable: false` and kept in IndexedDB, where every tab of the origin finds the same
// key: script can sign with it but never read it out.

const DB_VERSION = 1;
const KEY_STORE = 'keys';
const KEY_ID = 'dpop';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' };
// The server accepts a proof's iat within 60 s of its clock; a larger gap to this one is corrected.
const MAX_SKEW_MS = 30_000;

/**
 * The proofs of one client, or null where WebCrypto or IndexedDB is missing (the client then
 * sends bearer tokens, as without DPoP). `proof(method, url, accessToken)` resolves to a proof
 * JWT; `learn(response)` keeps a `DPoP-Nonce` the server sends, and its clock when far from this one.
 */
export function createDpop({
  crypto = globalThis.crypto,
  keyStore = null,
  indexedDB = globalThis.indexedDB,
  dbName = 'token-auth-graphql',
  now = Date.now,
} = {}) {
  const subtle = crypto?.subtle;
  const keys = keyStore ?? (indexedDB ? indexedDbKeyStore(indexedDB, dbName) : null);
  if (!subtle || !keys || typeof crypto.getRandomValues !== 'function') return null;
  let keyPair = null;
  let jwk = null;
  let nonce = null;
  // The server's clock less this one's, once a response's Date header showed them apart.
  let offsetMs = 0;

  function loadKey() {
    keyPair ??= (async () => {
      const stored = await keys.get();
      if (stored) return stored;
      const generated = await subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
      // Another tab may have stored its key meanwhile: the first one stored is everyone's key.
      return keys.putIfAbsent(generated);
    })().catch((error) => {
      keyPair = null;
      throw error;
    });
    return keyPair;
  }

  async function publicJwk() {
    if (!jwk) {
      const { publicKey } = await loadKey();
      const { kty, crv, x, y } = await subtle.exportKey('jwk', publicKey);
      jwk = { kty, crv, x, y };
    }
    return jwk;
  }

  async function proof(method, url, accessToken = null) {
    const { privateKey } = await loadKey();
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: await publicJwk() };
    const target = new URL(url, globalThis.location?.href);
    const payload = {
      jti: randomJti(crypto),
      htm: String(method).toUpperCase(),
      htu: `${target.origin}${target.pathname}`,
      iat: Math.floor((now() + offsetMs) / 1000),
    };
    if (accessToken) payload.ath = base64url(new Uint8Array(await subtle.digest('SHA-256', ascii(accessToken))));
    if (nonce) payload.nonce = nonce;
    const input = `${base64urlJson(header)}.${base64urlJson(payload)}`;
    // WebCrypto's ECDSA signature is r || s, 32 bytes each: the JWS form as it is.
    const signature = new Uint8Array(await subtle.sign(SIGNING, privateKey, ascii(input)));
    return `${input}.${base64url(signature)}`;
  }

  /**
   * Learns from a response: a `DPoP-Nonce` for the next proofs (RFC 9449, section 8), and the
   * server's time from `Date` when this clock is far from it. True when the response refused the
   * proof for what was just learnt, so the request is worth sending again.
   */
  function learn(response) {
    const challenge = response.headers.get('www-authenticate') ?? '';
    const refused = response.status === 401 || response.status === 400;
    let retry = false;
    const given = response.headers.get('dpop-nonce');
    if (given && given !== nonce) {
      nonce = given;
      retry = refused && /use_dpop_nonce/.test(challenge);
    }
    const serverTime = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(serverTime)) {
      const gap = serverTime - now();
      if (Math.abs(gap - offsetMs) > MAX_SKEW_MS) {
        offsetMs = Math.abs(gap) > MAX_SKEW_MS ? gap : 0;
        retry ||= refused && /invalid_dpop_proof/.test(challenge);
      }
    }
    return retry;
  }

  async function thumbprint() {
    const { crv, kty, x, y } = await publicJwk();
    const canonical = JSON.stringify({ crv, kty, x, y });
    return base64url(new Uint8Array(await subtle.digest('SHA-256', ascii(canonical))));
  }

  return { proof, learn, thumbprint };
}

/** The key pair in IndexedDB, shared by every tab of the origin. */
export function indexedDbKeyStore(indexedDB = globalThis.indexedDB, dbName = 'token-auth-graphql') {
  let opened = null;
  function open() {
    opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName, DB_VERSION);
      request.onupgradeneeded = () => request.result.createObjectStore(KEY_STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }).catch((error) => {
      opened = null;
      throw error;
    });
    return opened;
  }
  function transact(mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const transaction = db.transaction(KEY_STORE, mode);
      let result = null;
      work(transaction.objectStore(KEY_STORE), (value) => { result = value; });
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    }));
  }
  return {
    get: () => transact('readonly', (store, done) => {
      const request = store.get(KEY_ID);
      request.onsuccess = () => done(request.result ?? null);
    }),
    // One readwrite transaction: read and write cannot interleave with another tab's.
    putIfAbsent: (pair) => transact('readwrite', (store, done) => {
      const request = store.get(KEY_ID);
      request.onsuccess = () => {
        if (request.result) {
          done(request.result);
        } else {
          store.put(pair, KEY_ID);
          done(pair);
        }
      };
    }),
  };
}

/** A key store in memory (tests, and pages that must not persist anything). */
export function memoryKeyStore() {
  let pair = null;
  return {
    get: async () => pair,
    putIfAbsent: async (given) => {
      pair ??= given;
      return pair;
    },
  };
}

function randomJti(crypto) {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

function ascii(text) {
  return new TextEncoder().encode(text);
}

function base64urlJson(value) {
  return base64url(ascii(JSON.stringify(value)));
}

function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
