// The console's only way to the service: the public API with the signed-in person's bearer token.
import { currentToken, expire } from './session.js';

/** An answer that was not 2xx, with its problem+json body when there is one. */
export class ApiError extends Error {
  constructor(status, problem, headers) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.headers = headers;
  }

  /** Field errors of a 400, as "field: message" lines. */
  get fieldErrors() {
    return (this.problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  }
}

/**
 * Calls the API. Returns {status, data, headers, etag}. Throws ApiError for any non-2xx answer;
 * a 401 also ends the session (the token expired or was refused).
 */
export async function api(path, { method = 'GET', body, ifMatch, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch) headers['If-Match'] = ifMatch;
  let response;
  try {
    response = await fetch(path, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', redirect: 'error',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'The service cannot be reached', detail: 'Check the connection and try again.' });
  }
  const type = response.headers.get('Content-Type') ?? '';
  const data = response.status === 204 ? null
    : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    if (response.status === 401) expire('The service refused the token (expired or not valid): sign in again.');
    throw new ApiError(response.status, typeof data === 'object' ? data : { detail: String(data ?? '') }, response.headers);
  }
  return { status: response.status, data, headers: response.headers, etag: response.headers.get('ETag') };
}

/** The model, fetched once per page: regions and data centers. */
export async function catalogue() {
  const [regions, dataCenters] = await Promise.all([api('/api/v1/regions'), api('/api/v1/data-centers')]);
  return { regions: regions.data, dataCenters: dataCenters.data };
}
