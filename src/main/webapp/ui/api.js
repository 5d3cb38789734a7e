// The aggregator's read API as the dashboard calls it, with the optional API key.

/** The application's root, whatever its context root: this module is served from <root>/ui/api.js. */
const ROOT = new URL('../', import.meta.url);
const KEY_STORAGE = 'aggregator-api-key';

/** A 401: reads are protected and the key is missing or refused. */
export class Unauthorized extends Error {
    constructor(hadKey) {
        super(hadKey ? 'the API key was refused' : 'an API key is needed');
        this.hadKey = hadKey;
    }
}

export function apiKey() {
    return sessionStorage.getItem(KEY_STORAGE);
}

/** Kept for this tab only (sessionStorage), not across browser restarts. */
export function setApiKey(key) {
    sessionStorage.setItem(KEY_STORAGE, key);
}

/** GET a JSON resource of the application, e.g. getJson('stats'); throws Unauthorized on 401. */
export async function getJson(path) {
    const key = apiKey();
    const response = await fetch(new URL(path, ROOT), {
        headers: key ? {'Accept': 'application/json', 'X-API-Key': key} : {'Accept': 'application/json'},
        cache: 'no-store',
    });
    if (response.status === 401) {
        throw new Unauthorized(key !== null);
    }
    if (!response.ok) {
        throw new Error(`${path} answered ${response.status}`);
    }
    return response.json();
}

/**
 * The server's readiness: MicroProfile Health lives at the server root, not under the context root, and answers
 * 503 with the same JSON body when a check is down.
 */
export async function readiness() {
    const response = await fetch('/health/ready', {headers: {'Accept': 'application/json'}, cache: 'no-store'});
    return response.json();
}
