// Token stores. A store is synchronous so that "read, compare, write" cannot interleave with
// another request's write within a tab:
//   get(): pair | null          set(pair | null)
//   getDeviceToken(): string | null     setDeviceToken(string | null)   (kept across logouts)
//   subscribe(listener): unsubscribe    (optional: changes made elsewhere, e.g. another tab)

import { toPair } from './tokens.js';

const DEFAULT_KEY = 'token-auth-graphql';

/** Tokens in this page's memory only: gone on reload, out of reach of other pages' storage. */
export function memoryStore(initial = null) {
  let pair = toPair(initial);
  let deviceToken = typeof initial?.deviceToken === 'string' ? initial.deviceToken : null;
  return {
    get: () => pair,
    set: (value) => { pair = toPair(value); },
    getDeviceToken: () => deviceToken,
    setDeviceToken: (value) => { deviceToken = value ?? null; },
  };
}

/** Tokens in `sessionStorage`: they survive a reload of this tab and are not shared with other tabs. */
export function sessionStorageStore({ key = DEFAULT_KEY, storage } = {}) {
  return webStorageStore(storage ?? globalStorage('sessionStorage'), key);
}

/** Tokens in `localStorage`: shared by every tab of the origin and kept until logout. */
export function localStorageStore({ key = DEFAULT_KEY, storage } = {}) {
  return webStorageStore(storage ?? globalStorage('localStorage'), key);
}

function globalStorage(name) {
  let storage;
  try {
    storage = globalThis[name];
  } catch {
    // Some browsers throw on access when storage is disabled.
  }
  if (!storage) throw new TypeError(`${name} is not available here: use memoryStore() instead`);
  return storage;
}

function webStorageStore(storage, key) {
  const deviceKey = `${key}:device`;
  const read = (name) => {
    try {
      return storage.getItem(name);
    } catch {
      return null;
    }
  };
  const write = (name, value) => {
    try {
      if (value == null) storage.removeItem(name);
      else storage.setItem(name, value);
    } catch {
      // Quota exceeded or storage disabled: the request goes on; the pair is lost on reload.
    }
  };
  return {
    get() {
      const raw = read(key);
      if (!raw) return null;
      try {
        return toPair(JSON.parse(raw));
      } catch {
        return null;
      }
    },
    set(value) {
      const pair = toPair(value);
      write(key, pair ? JSON.stringify(pair) : null);
    },
    getDeviceToken: () => read(deviceKey),
    setDeviceToken: (value) => write(deviceKey, value ?? null),
    subscribe(listener) {
      if (typeof globalThis.addEventListener !== 'function') return () => {};
      const onStorage = (event) => {
        if (event.storageArea === storage && (event.key === key || event.key === null)) listener();
      };
      globalThis.addEventListener('storage', onStorage);
      return () => globalThis.removeEventListener('storage', onStorage);
    },
  };
}
