/**
 * Which web pages may open the WebSocket target. A browser sends the page's
 * origin with every WebSocket handshake, and any page the show laptop opens
 * could otherwise connect to the bridge, so only pages served from this
 * machine are allowed unless the mapping lists more. Clients that send no
 * Origin at all are not browsers (scripts, show tools) and are allowed.
 *
 * Allowed entries: an origin as browsers send it ("http://192.168.1.20:8000"),
 * `localhost` (any http(s) page on localhost, 127.x.x.x or ::1), `null`
 * (pages opened from a file) or `*` (any page).
 */

export const DEFAULT_ORIGINS: readonly string[] = ['localhost'];

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** The origin in the form browsers send it, or the text as given when it is not a URL. */
function normalize(origin: string): string {
  const trimmed = origin.trim().toLowerCase();
  try {
    const url = new URL(trimmed);
    return url.origin === 'null' ? trimmed.replace(/\/+$/, '') : url.origin;
  } catch {
    return trimmed;
  }
}

function isLocal(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True when a handshake with this Origin header (undefined when absent) may connect. */
export function originAllowed(origin: string | undefined, allowed: readonly string[] = DEFAULT_ORIGINS): boolean {
  if (origin === undefined || origin === '') return true;
  const given = normalize(origin);
  for (const entry of allowed) {
    const wanted = entry.trim().toLowerCase();
    if (wanted === '*') return true;
    if (wanted === 'localhost' && isLocal(given)) return true;
    if (wanted === given || normalize(wanted) === given) return true;
  }
  return false;
}

/** An Origin header as it may be printed: quoted, cut short, no control characters. */
export function printableOrigin(origin: string): string {
  const clean = origin.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 80)}…` : clean);
}
