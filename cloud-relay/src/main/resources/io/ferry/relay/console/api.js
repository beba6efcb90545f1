// The admin API, called with the signed-in admin key. The key lives in this tab's sessionStorage only:
// never in a URL, a cookie or localStorage, and it goes only to this relay (relative URLs, same origin).

const STORAGE = 'ferry.console.adminKey';

export function adminKey() {
  return sessionStorage.getItem(STORAGE);
}

export function signIn(key) {
  sessionStorage.setItem(STORAGE, key.trim());
}

export function signOut() {
  sessionStorage.removeItem(STORAGE);
}

/** The key's id (fk_<id>_<secret>): the console marks that key in the key list. */
export function adminKeyId() {
  const m = /^fk_([0-9A-Z]{26})_/.exec(adminKey() || '');
  return m ? m[1] : null;
}

/** A problem (RFC 9457) the relay answered, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('the relay answered ' + status));
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, method = 'GET', body = undefined) {
  const headers = {'X-API-Key': adminKey() || '', 'Accept': 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('../admin/v1' + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer'
    });
  } catch (e) {
    throw new ApiError(0, {detail: 'cannot reach the relay: ' + e.message});
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** The cursor of a nextLink, for the next page of the same list. */
export function cursorOf(nextLink) {
  if (!nextLink) return null;
  try {
    return new URL(nextLink).searchParams.get('cursor');
  } catch (e) {
    return null;
  }
}
