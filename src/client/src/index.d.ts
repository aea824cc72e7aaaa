export declare const ACCESS_HEADER: 'x-access-token';
export declare const REFRESH_HEADER: 'x-refresh-token';

/** The pair as the store keeps it; `receivedAt` is when this client got it (ms, local clock). */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  receivedAt?: number;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  deviceToken?: string | null;
}

/** Synchronous, so that reading, comparing and writing the pair cannot interleave with another request. */
export interface TokenStore {
  get(): TokenPair | null;
  set(pair: TokenPair | null): void;
  getDeviceToken?(): string | null;
  setDeviceToken?(token: string | null): void;
  /** Changes made elsewhere (another tab writing the same storage). Returns an unsubscribe function. */
  subscribe?(listener: () => void): () => void;
}

export type LoggedOutReason = 'unauthenticated' | 'logout' | 'other-tab';

export interface AuthFetchOptions {
  /** The GraphQL endpoint, used by login, register, logout, logoutEverywhere and changePassword. */
  url?: string | URL;
  /** Where the pair lives. Default: memoryStore(). */
  store?: TokenStore;
  /** The fetch to wrap. Default: globalThis.fetch at call time. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Called once when this client goes from logged in to logged out, with the reason. */
  onLoggedOut?: (event: { reason: LoggedOutReason }) => void;
  /** Share the pair, the refresh and logout with other tabs of the origin. Default: true in a browser page. */
  crossTab?: boolean;
  /** Web Locks name for the cross-tab refresh lock. */
  lockName?: string;
  /** BroadcastChannel name. */
  channelName?: string;
  /** A LockManager. Default: navigator.locks when crossTab. */
  locks?: LockManager | null;
  /** Refresh this many seconds before the access token expires. Default 5. */
  refreshSkewSeconds?: number;
  /** How long to wait for another tab's refresh; past it the request goes without the refresh token. Default 15000. */
  lockTimeoutMs?: number;
  /** Send the stored device token with login and keep the new one (Tokens.deviceToken). Default true; false for a server without them. */
  deviceTokens?: boolean;
  /**
   * Asked for a current code (or a recovery code) when login answers MFA_REQUIRED, again after each
   * refused code (at most 5), and when changePassword without `code` needs one. Return the code, or a
   * promise of it; null or undefined gives up with the MFA_REQUIRED AuthError (its mfaToken kept).
   * Without it, login throws that error and verifyMfa finishes the login.
   */
  onMfaRequired?: (request: MfaRequest) => string | null | undefined | Promise<string | null | undefined>;
  /** The clock, in ms. Default Date.now. */
  now?: () => number;
  /** DPoP proofs (RFC 9449). Default: createDpop() in a browser page (null there without WebCrypto or IndexedDB), else null. */
  dpop?: Dpop | null;
  /** For registerPasskey and loginWithPasskey. Default: navigator.credentials. */
  credentials?: CredentialsContainer;
  /** Its parseCreationOptionsFromJSON and parseRequestOptionsFromJSON are used where present. Default: globalThis.PublicKeyCredential. */
  PublicKeyCredential?: unknown;
}

/** A passkey of the user, as registerPasskey returns it. */
export interface Passkey {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface AuthFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  login(credentials: { username: string; password: string; deviceToken?: string | null }): Promise<Tokens>;
  /** With an email, the server mails a verification code to it (verifyEmail confirms it). */
  register(credentials: { username: string; password: string; email?: string | null }): Promise<Tokens>;
  /** Asks for a reset code by mail; true whether or not the address has an account. Sends no tokens. */
  requestPasswordReset(request: { email: string }): Promise<boolean>;
  /** Sets the new password with the mailed code; every session ends (this client's pair too), so log in again. */
  resetPassword(reset: { email: string; code: string; newPassword: string }): Promise<boolean>;
  /** Creates a passkey for the logged-in user (navigator.credentials.create) and registers it. */
  registerPasskey(label?: string | null): Promise<Passkey>;
  /** Signs in with a passkey, without username or password (navigator.credentials.get); stores the pair like login. */
  loginWithPasskey(options?: { mediation?: CredentialMediationRequirement; signal?: AbortSignal }): Promise<Tokens>;
  /** With the second factor on, `code` (or onMfaRequired, asked on MFA_REQUIRED) gives the current code. */
  changePassword(passwords: { oldPassword: string; newPassword: string; code?: string | null }): Promise<Tokens>;
  /** The login's second step: the mfaToken of an MFA_REQUIRED AuthError and a current or recovery code; stores the pair like login. */
  verifyMfa(challenge: { mfaToken: string; code: string }): Promise<Tokens>;
  /** Logs out here and in the other tabs holding this session, then ends it on the server; true when it confirmed. */
  logout(): Promise<boolean>;
  /** Like logout, but the server ends every session of the user. */
  logoutEverywhere(): Promise<boolean>;
  getTokens(): { accessToken: string; refreshToken: string } | null;
  /** Stores a pair obtained elsewhere, as a new login (shared with the other tabs). */
  setTokens(tokens: Tokens): Tokens;
  /** Closes the BroadcastChannel and the storage listener. */
  close(): void;
}

export declare function createAuthFetch(options?: AuthFetchOptions): AuthFetch;

export declare class AuthError extends Error {
  code: string | null;
  status: number | null;
  errors: unknown[];
  retryAfterSeconds: number | null;
  /** From login when the second factor is on (code MFA_REQUIRED): send it to verifyMfa with a code. */
  mfaToken: string | null;
}

/** What onMfaRequired is told: which operation asks, the how-manieth code, and why the previous one was refused. */
export interface MfaRequest {
  kind: 'login' | 'changePassword';
  attempt: number;
  previousError: AuthError | null;
}

export declare function memoryStore(initial?: Tokens | null): TokenStore;
export declare function sessionStorageStore(options?: { key?: string; storage?: Storage }): TokenStore;
export declare function localStorageStore(options?: { key?: string; storage?: Storage }): TokenStore;

export declare function decodeJwtPayload(token: string): Record<string, unknown> | null;
export declare function comparePairs(candidate: TokenPair, current: TokenPair): number | null;
export declare function accessExpiresAt(pair: TokenPair): number;
export declare function mergeHeaders(input: RequestInfo | URL, init?: RequestInit): Headers;

/** A client's DPoP key and its proofs. */
export interface Dpop {
  proof(method: string, url: string | URL, accessToken?: string | null): Promise<string>;
  /** Keeps a DPoP-Nonce the response carries, and the server's time from Date when this clock is far off; true when the refused request is worth sending again. */
  learn(response: Response): boolean;
  /** The key's RFC 7638 thumbprint (what the server binds the session to). */
  thumbprint(): Promise<string>;
}

/** Where the non-extractable key pair is kept. */
export interface DpopKeyStore {
  get(): Promise<CryptoKeyPair | null>;
  putIfAbsent(pair: CryptoKeyPair): Promise<CryptoKeyPair>;
}

/** Null where WebCrypto or the key store (IndexedDB by default) is missing: the client then sends bearer tokens. */
export declare function createDpop(options?: {
  crypto?: Crypto;
  keyStore?: DpopKeyStore;
  indexedDB?: IDBFactory;
  dbName?: string;
  now?: () => number;
}): Dpop | null;
export declare function indexedDbKeyStore(indexedDB?: IDBFactory, dbName?: string): DpopKeyStore;
export declare function memoryKeyStore(): DpopKeyStore;
