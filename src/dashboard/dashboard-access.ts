/**
 * Who may see the dashboard. Pure checks on a request's URL and headers:
 *  - the token, when one is set: `?token=` on the page, the art and the feed;
 *  - the Host header, while the dashboard listens on this machine only: a
 *    loopback name or address, so a web page elsewhere cannot reach it by
 *    pointing a name of its own at 127.0.0.1 (DNS rebinding);
 *  - the Origin of the feed's WebSocket handshake: a page served by the
 *    dashboard itself (same host and port). A handshake with no Origin is not
 *    from a browser (a script, a bench) and is let in, as with the WebSocket
 *    target (outputs/websocket/origins.ts); it still needs the token.
 */
import { timingSafeEqual } from 'node:crypto';

export type AccessVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

const OK: AccessVerdict = { ok: true };

/** True for addresses that only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host part of a Host header ("127.0.0.1:8787" → "127.0.0.1", "[::1]:80" → "[::1]"). */
export function hostName(header: string): string {
  const bracketed = /^(\[[^\]]*\])(?::\d+)?$/.exec(header);
  if (bracketed !== null) return bracketed[1] ?? header;
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

export function tokenMatches(expected: string | null, given: string | null): boolean {
  if (expected === null) return true;
  if (given === null) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface AccessRequest {
  readonly url: URL;
  readonly host: string | undefined;
  readonly origin: string | undefined;
}

export interface AccessPolicy {
  readonly token: string | null;
  /** True while the dashboard listens on a loopback address only. */
  readonly loopbackOnly: boolean;
}

/** The check every page, art and feed request passes. */
export function checkAccess(request: AccessRequest, policy: AccessPolicy): AccessVerdict {
  if (policy.loopbackOnly && (request.host === undefined || !isLoopbackAddress(hostName(request.host)))) {
    return { ok: false, status: 403, reason: 'the dashboard listens on this machine only: open it as http://127.0.0.1 or http://localhost' };
  }
  if (!tokenMatches(policy.token, request.url.searchParams.get('token'))) {
    return { ok: false, status: 401, reason: 'this dashboard needs its token: add ?token=<token> to the address' };
  }
  return OK;
}

/** True when a WebSocket handshake's Origin is a page of this same host and port (or absent: not a browser). */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined || origin === '') return true;
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === host.toLowerCase();
}
