// The REST API as the pages use it: JSON in and out, the session cookie (sent by the browser), and the
// session's CSRF token on every change. Errors are the API's RFC 9457 problems, thrown as ApiError.

let csrfToken = null;
let expired = () => {};

export class ApiError extends Error {
  constructor(status, problem, challenge = '') {
    super(problem.detail || problem.title || `The request failed (HTTP ${status}).`);
    this.status = status;
    // A 401 for credentials that were sent and refused (RFC 6750 error=), not for none sent at all.
    this.refused = status === 401 && /\berror=/.test(challenge);
    this.title = problem.title || '';
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called with the ApiError when a request answers 401: the session ended or expired, or was refused. */
export function onSessionExpired(callback) {
  expired = callback;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { detail: 'Sluice did not answer. Check that the server is running and try again.' });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : { detail: await res.text() };
  if (!res.ok) {
    const error = new ApiError(res.status, data, res.headers.get('WWW-Authenticate') || '');
    if (res.status === 401 && path !== '/session') expired(error);
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** "?a=1&b=x" from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}

export const enc = encodeURIComponent;
