// Reading the token pair: what the JWT payload says about its session, generation and expiry.
// The signature is the server's business; the client only orders and times what it holds.

export const ACCESS_HEADER = 'x-access-token';
export const REFRESH_HEADER = 'x-refresh-token';

/** The decoded payload of a JWT, or null when the value is not a readable JWT. */
export function decodeJwtPayload(token) {
  if (typeof token !== 'string') return null;
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : null;
  } catch {
    return null;
  }
}

/** A stored pair: the two tokens and when this client received them (local clock, ms). */
export function toPair(value, receivedAt) {
  if (!value || typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string'
      || !value.accessToken || !value.refreshToken) {
    return null;
  }
  const pair = { accessToken: value.accessToken, refreshToken: value.refreshToken };
  const at = Number.isFinite(value.receivedAt) ? value.receivedAt : receivedAt;
  if (Number.isFinite(at)) pair.receivedAt = at;
  return pair;
}

/** The session a pair belongs to (the access token's `sid`), or null when it does not say. */
export function sessionOf(pair) {
  const sid = decodeJwtPayload(pair?.accessToken)?.sid;
  return sid === undefined ? null : sid;
}

/**
 * How `candidate` relates to `current`: a positive number when it is a later pair of the same
 * session, 0 when it is the same generation, negative when older, null when the two belong to
 * different sessions (or cannot be read) and so cannot be ordered.
 */
export function comparePairs(candidate, current) {
  const a = decodeJwtPayload(candidate?.accessToken);
  const b = decodeJwtPayload(current?.accessToken);
  if (!a || !b || a.sid !== b.sid) return null;
  if (Number.isFinite(a.gen) && Number.isFinite(b.gen)) return a.gen - b.gen;
  if (Number.isFinite(a.iat) && Number.isFinite(b.iat)) return a.iat - b.iat;
  return candidate.accessToken === current.accessToken ? 0 : null;
}

/**
 * When the access token stops being accepted, on the local clock (ms). Measured from when the
 * pair arrived (its lifetime is exp - iat), so a client whose clock is off still refreshes on
 * time; without those, the token's exp as is. Infinity when the token does not say.
 */
export function accessExpiresAt(pair) {
  const payload = decodeJwtPayload(pair?.accessToken);
  if (!payload || !Number.isFinite(payload.exp)) return Infinity;
  if (Number.isFinite(payload.iat) && Number.isFinite(pair.receivedAt)) {
    return pair.receivedAt + (payload.exp - payload.iat) * 1000;
  }
  return payload.exp * 1000;
}
