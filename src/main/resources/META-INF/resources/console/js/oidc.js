// OpenID Connect sign-in: authorization code with PKCE (S256), as a public client in the browser.
// The provider's discovery document and token endpoint are fetched (the CSP's connect-src lists the
// issuer's origin); the authorization and logout endpoints are navigations.
import { signIn, renew, current, currentRefreshToken, clear } from './session.js';

const PENDING = 'meridian.console.oidc.pending';

function base64Url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(bytes = 32) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function discover(issuer) {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response;
  try {
    response = await fetch(url, { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new Error(`The sign-in provider ${issuer} cannot be reached.`);
  }
  if (!response.ok) throw new Error(`The sign-in provider answered ${response.status} for its discovery document.`);
  const doc = await response.json();
  if (doc.issuer !== issuer) throw new Error(`The provider names itself ${doc.issuer}, not the configured ${issuer}.`);
  return doc;
}

function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

/** Sends the browser to the provider's sign-in page. */
export async function startSignIn(oidc) {
  if (!window.crypto?.subtle) {
    throw new Error('Sign-in with the provider needs a secure context: open the console over HTTPS.');
  }
  const doc = await discover(oidc.issuer);
  const verifier = random(48);
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const pending = {
    state: random(), nonce: random(), verifier, issuer: oidc.issuer, clientId: oidc.clientId,
    tokenEndpoint: doc.token_endpoint, endSession: doc.end_session_endpoint ?? null,
    redirectUri: redirectUri(), returnTo: location.hash || '#/map',
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const params = new URLSearchParams({
    response_type: 'code', client_id: oidc.clientId, redirect_uri: pending.redirectUri,
    scope: oidc.scopes.join(' '), state: pending.state, nonce: pending.nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${doc.authorization_endpoint}?${params}`);
}

async function tokenRequest(endpoint, form) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST', body: new URLSearchParams(form), credentials: 'omit', cache: 'no-store',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    });
  } catch (e) {
    throw new Error('The sign-in provider\'s token endpoint cannot be reached.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`The provider refused the sign-in: ${body.error_description || body.error || response.status}`);
  }
  return body;
}

function checkIdToken(idToken, pending) {
  if (!idToken) return;
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(
    atob(idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== pending.issuer || !audience.includes(pending.clientId) || claims.nonce !== pending.nonce) {
    throw new Error('The provider\'s ID token does not belong to this sign-in (issuer, audience or nonce differ).');
  }
}

let refreshTimer = null;

function scheduleRefresh(pending) {
  clearTimeout(refreshTimer);
  const session = current();
  if (!session?.expiresAt || !currentRefreshToken()) return;
  const wait = Math.max(5000, session.expiresAt - Date.now() - 60000);
  refreshTimer = setTimeout(async () => {
    try {
      const tokens = await tokenRequest(pending.tokenEndpoint, {
        grant_type: 'refresh_token', refresh_token: currentRefreshToken(), client_id: pending.clientId,
      });
      renew(tokens.access_token, tokens.refresh_token);
      scheduleRefresh(pending);
    } catch (e) {
      // the access token runs out on its own; the next refused call asks for a new sign-in
    }
  }, wait);
}

/**
 * Finishes a sign-in when the provider has sent the browser back (?code=&state= or ?error=).
 * Returns the hash to show afterwards, or null when this page load is not a callback.
 */
export async function completeSignIn() {
  const query = new URLSearchParams(location.search);
  if (!query.has('state') || !(query.has('code') || query.has('error'))) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? '#/map'}`);
  if (!pending || pending.state !== query.get('state')) {
    throw new Error('This sign-in answer was not asked for by this tab (its state does not match). Sign in again.');
  }
  if (query.has('error')) {
    throw new Error(`The provider did not sign you in: ${query.get('error_description') || query.get('error')}`);
  }
  if (query.has('iss') && query.get('iss') !== pending.issuer) {
    throw new Error('The sign-in answer comes from another issuer.');
  }
  const tokens = await tokenRequest(pending.tokenEndpoint, {
    grant_type: 'authorization_code', code: query.get('code'), redirect_uri: pending.redirectUri,
    client_id: pending.clientId, code_verifier: pending.verifier,
  });
  checkIdToken(tokens.id_token, pending);
  signIn(tokens.access_token, 'oidc', {
    refresh: tokens.refresh_token ?? null, idToken: tokens.id_token ?? null,
    endSession: pending.endSession ? { url: pending.endSession, clientId: pending.clientId } : null,
  });
  scheduleRefresh(pending);
  return pending.returnTo;
}

/** Signs out here and, for a provider session, at the provider too (a navigation). */
export function signOut() {
  const session = current();
  clearTimeout(refreshTimer);
  clear('signed-out');
  if (session?.source === 'oidc' && session.endSession?.url) {
    const params = new URLSearchParams({
      client_id: session.endSession.clientId, post_logout_redirect_uri: redirectUri(),
    });
    if (session.idToken) params.set('id_token_hint', session.idToken);
    location.assign(`${session.endSession.url}?${params}`);
  }
}
