// Who is signed in. The token lives in memory and in sessionStorage (one tab, gone when it closes),
// never in localStorage or a cookie. A refresh token, when the provider gives one, stays in memory only.
const KEY = 'meridian.console.session';
const ROLES = ['meeting-client', 'region-admin', 'ops'];

let session = null;
let refreshToken = null;
const listeners = new Set();

function base64UrlJson(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * The claims of a JWT, read without checking the signature: only to show the person who they are and
 * which pages their roles open. The service verifies every token it is sent.
 */
export function readClaims(token) {
  const parts = String(token).trim().split('.');
  if (parts.length !== 3) throw new Error('This is not a JWT: it needs three parts separated by dots.');
  try {
    return base64UrlJson(parts[1]);
  } catch (e) {
    throw new Error('The token cannot be read: its middle part is not base64url-encoded JSON.');
  }
}

function list(claim) {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim === 'string' && claim) return [claim];
  return [];
}

function describe(token, source, extra = {}) {
  const claims = readClaims(token);
  return {
    token: token.trim(),
    source,
    subject: claims.preferred_username || claims.upn || claims.sub || 'unknown',
    roles: list(claims.groups).filter((r) => ROLES.includes(r)),
    accounts: list(claims.accounts),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    issuer: claims.iss ?? null,
    ...extra,
  };
}

function notify(reason) {
  for (const listener of listeners) listener(session, reason);
}

/** Starts a session with a token; source: 'dev', 'oidc' or 'pasted'. */
export function signIn(token, source, { refresh = null, idToken = null, endSession = null } = {}) {
  const next = describe(token, source, { idToken, endSession });
  if (next.expiresAt !== null && next.expiresAt <= Date.now()) {
    throw new Error('This token has expired.');
  }
  session = next;
  refreshToken = refresh;
  sessionStorage.setItem(KEY, JSON.stringify(session));
  notify('signed-in');
  return session;
}

/** Replaces the token of the current session (after a refresh). */
export function renew(token, refresh) {
  if (!session) return;
  session = describe(token, session.source, { idToken: session.idToken, endSession: session.endSession });
  if (refresh) refreshToken = refresh;
  sessionStorage.setItem(KEY, JSON.stringify(session));
  notify('renewed');
}

/** The session kept in this tab, if its token has not expired. */
export function restore() {
  const stored = sessionStorage.getItem(KEY);
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored);
    session = describe(parsed.token, parsed.source, { idToken: parsed.idToken, endSession: parsed.endSession });
    if (session.expiresAt !== null && session.expiresAt <= Date.now()) {
      session = null;
      sessionStorage.removeItem(KEY);
    }
  } catch (e) {
    session = null;
    sessionStorage.removeItem(KEY);
  }
  return session;
}

export function current() {
  return session;
}

export function currentToken() {
  return session?.token ?? null;
}

export function currentRefreshToken() {
  return refreshToken;
}

export function hasRole(role) {
  return Boolean(session?.roles.includes(role));
}

/** Ends the session here (the provider's own session is ended by oidc.signOut). */
export function clear(reason = 'signed-out') {
  session = null;
  refreshToken = null;
  sessionStorage.removeItem(KEY);
  notify(reason);
}

/** Ends the session because the service refused its token. */
export function expire(message) {
  if (!session) return;
  session = null;
  refreshToken = null;
  sessionStorage.removeItem(KEY);
  notify(message);
}

/** Calls listener(session, reason) on every sign-in, renewal and sign-out. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const KNOWN_ROLES = ROLES;
