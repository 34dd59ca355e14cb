import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';

/**
 * SSRF guard for user-supplied upstream URLs (api-keys.md §1 "Base URL rules"). Reusable: any module that calls a
 * URL a user typed goes through `assertSafeBaseUrl` (static shape) and `guardedRequest` (DNS resolution, address
 * check, connection pinned to the checked address, redirects never followed).
 *
 * Refused: non-https schemes, userinfo, query, fragment; any host whose addresses (all of them) include loopback,
 * private, CGNAT, link-local, metadata, unspecified, multicast, documentation or reserved ranges, in IPv4 and IPv6,
 * IPv4-mapped/compatible/NAT64/6to4 IPv6 included. Decimal, octal and hex IPv4 spellings are normalised by the WHATWG
 * URL parser before the check. With `allowInsecureLocal` (tests, local trials) exactly 127.0.0.1 is allowed, over
 * http or https.
 */

export interface SsrfGuardOptions {
  /** LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: allow http and the address 127.0.0.1. */
  allowInsecureLocal: boolean;
  /** DNS resolver (tests inject one); default: the OS resolver, every address. */
  resolve?: (hostname: string) => Promise<string[]>;
}

export type UnsafeUrlReason =
  'malformed' | 'scheme' | 'userinfo' | 'query_or_fragment' | 'blocked_address' | 'unresolvable' | 'redirect';

export class UnsafeUrlError extends Error {
  constructor(
    readonly reason: UnsafeUrlReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

const LOCAL_TRIAL_ADDRESS = '127.0.0.1';

/** Static checks; returns the normalised URL string (no trailing slash). Does not resolve DNS. */
export function assertSafeBaseUrl(raw: string, options: SsrfGuardOptions): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UnsafeUrlError('malformed', 'base_url must be an absolute URL.');
  }
  const host = hostOf(url);
  const localTrial = options.allowInsecureLocal && host === LOCAL_TRIAL_ADDRESS;
  if (url.protocol !== 'https:' && !(localTrial && url.protocol === 'http:')) {
    throw new UnsafeUrlError('scheme', 'base_url must use https.');
  }
  if (url.username || url.password) throw new UnsafeUrlError('userinfo', 'base_url must not contain credentials.');
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw new UnsafeUrlError('query_or_fragment', 'base_url must not contain a query or fragment.');
  }
  if (!host) throw new UnsafeUrlError('malformed', 'base_url needs a host.');
  if (isIP(host) && !localTrial && isBlockedAddress(host)) {
    throw new UnsafeUrlError('blocked_address', 'base_url points to a private or reserved address.');
  }
  return url.toString().replace(/\/+$/, '');
}

/** Resolves the URL's host and checks every address; returns the one to connect to. */
export async function resolveSafeAddress(url: URL, options: SsrfGuardOptions): Promise<string> {
  const host = hostOf(url);
  if (options.allowInsecureLocal && host === LOCAL_TRIAL_ADDRESS) return host;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? defaultResolve)(host);
    } catch {
      throw new UnsafeUrlError('unresolvable', 'The host could not be resolved.');
    }
  }
  if (addresses.length === 0) throw new UnsafeUrlError('unresolvable', 'The host could not be resolved.');
  // Every address must be public: a resolver answer mixing a public and a private address is refused.
  if (addresses.some(isBlockedAddress)) {
    throw new UnsafeUrlError('blocked_address', 'The host resolves to a private or reserved address.');
  }
  return addresses[0];
}

async function defaultResolve(hostname: string): Promise<string[]> {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((r) => r.address);
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body, truncated to `maxBodyBytes`. */
  body: string;
}

export interface GuardedRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBodyBytes?: number;
  /**
   * Operator-configured URL (registry default or LLM_BASE_URL_OVERRIDES), not user input: the scheme and address
   * checks are skipped (corporate proxies may be private), redirects are still refused.
   */
  operatorConfigured?: boolean;
}

/**
 * One HTTP request to a user-supplied URL: static checks, DNS resolution with the address check, the socket pinned to
 * the checked address (so a second DNS answer cannot rebind it), no redirect followed (a 3xx is an error).
 */
export async function guardedRequest(
  rawUrl: string,
  init: GuardedRequestInit,
  options: SsrfGuardOptions,
): Promise<GuardedResponse> {
  const res = await guardedOpen(rawUrl, { ...init, idleTimeoutMs: init.timeoutMs ?? 10_000 }, options);
  const maxBody = init.maxBodyBytes ?? 64 * 1024;
  return new Promise<GuardedResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < maxBody) chunks.push(chunk.subarray(0, maxBody - size));
      size += chunk.length;
    });
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
    );
    res.on('error', reject);
  });
}

export interface GuardedOpenInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** See GuardedRequestInit.operatorConfigured. */
  operatorConfigured?: boolean;
  /** Socket inactivity timeout (connecting included); unset = none. */
  idleTimeoutMs?: number;
  /** Time allowed to establish the TCP connection; unset = none. */
  connectTimeoutMs?: number;
  /** Aborts the request (DNS, connection or body); the promise or the response stream then fails. */
  signal?: AbortSignal;
}

/** The connection was not established within `connectTimeoutMs`. */
export class ConnectTimeoutError extends Error {
  constructor() {
    super('The connection to the upstream timed out.');
    this.name = 'ConnectTimeoutError';
  }
}

/**
 * Same guard as `guardedRequest`, but resolves as soon as the response head arrives and hands over the body as a
 * stream (for streamed LLM answers). The caller must consume or destroy the response.
 */
export async function guardedOpen(
  rawUrl: string,
  init: GuardedOpenInit,
  options: SsrfGuardOptions,
): Promise<http.IncomingMessage> {
  if (init.operatorConfigured) return open(new URL(rawUrl), init, null);
  const url = new URL(assertSafeBaseUrl(rawUrl, options) + (rawUrl.endsWith('/') ? '/' : ''));
  const address = await resolveSafeAddress(url, options);
  init.signal?.throwIfAborted();
  return open(url, init, address);
}

function open(url: URL, init: GuardedOpenInit, address: string | null): Promise<http.IncomingMessage> {
  const family = address ? isIP(address) : 0;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        ...(init.idleTimeoutMs ? { timeout: init.idleTimeoutMs } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
        // Pin the connection to the address that passed the check.
        ...(address
          ? {
              lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
                if (opts.all) cb(null, [{ address, family }]);
                else cb(null, address, family);
              }) as unknown as http.RequestOptions['lookup'],
            }
          : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          reject(new UnsafeUrlError('redirect', 'The upstream answered with a redirect, which is not followed.'));
          return;
        }
        resolve(res);
      },
    );
    if (init.connectTimeoutMs) {
      const connectTimeoutMs = init.connectTimeoutMs;
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => req.destroy(new ConnectTimeoutError()), connectTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
    }
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

// ---- address classification -------------------------------------------------------------------------------------

const BLOCKED_V4_CIDRS = [
  '0.0.0.0/8', // "this network", unspecified
  '10.0.0.0/8',
  '100.64.0.0/10', // CGNAT (also Alibaba metadata 100.100.100.200)
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata 169.254.169.254
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved + broadcast
];
const BLOCKED_V4: Array<[number, number]> = BLOCKED_V4_CIDRS.map((cidr) => {
  const [net, bits] = cidr.split('/');
  return [v4ToInt(net)!, Number(bits)];
});

/** True when an IP literal (v4 or v6) is not a public unicast address. Non-IP input counts as blocked. */
export function isBlockedAddress(ip: string): boolean {
  const clean = ip.replace(/^\[|\]$/g, '').split('%')[0];
  const v = isIP(clean);
  if (v === 4) return isBlockedV4(v4ToInt(clean)!);
  if (v === 6) return isBlockedV6(clean);
  return true;
}

function isBlockedV4(n: number): boolean {
  return BLOCKED_V4.some(([net, bits]) => bits === 0 || n >>> (32 - bits) === net >>> (32 - bits));
}

function v4ToInt(ip: string): number | null {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Expands an IPv6 literal into eight 16-bit groups (embedded dotted IPv4 tails included). */
export function expandV6(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const n = v4ToInt(tail[1]);
    if (n === null) return null;
    text = text.slice(0, -tail[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...new Array<number>(Math.max(fill, 0)).fill(0), ...rest];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff)) return null;
  return groups;
}

function isBlockedV6(ip: string): boolean {
  const g = expandV6(ip);
  if (!g) return true;
  const embeddedV4 = () => ((g[6] << 16) | g[7]) >>> 0;
  const zeroPrefix = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (g.every((x) => x === 0)) return true; // :: unspecified
  if (zeroPrefix(7) && g[7] === 1) return true; // ::1 loopback
  if (zeroPrefix(5) && g[5] === 0xffff) return isBlockedV4(embeddedV4()); // ::ffff:a.b.c.d mapped
  if (zeroPrefix(6)) return true; // ::a.b.c.d compatible (deprecated) and the rest of ::/96
  if (zeroPrefix(4) && g[4] === 0xffff && g[5] === 0) return true; // ::ffff:0:0:0/96 translated
  if (g[0] === 0x64 && g[1] === 0xff9b) return g[2] || g[3] || g[4] || g[5] ? true : isBlockedV4(embeddedV4()); // NAT64
  if (g[0] === 0x2002) return isBlockedV4(((g[1] << 16) | g[2]) >>> 0); // 6to4 embeds an IPv4
  if (g[0] === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return true; // discard-only 100::/64
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (g[0] === 0x2001 && g[1] < 0x0200) return true; // 2001::/23 IETF special (Teredo, ORCHID, …)
  if ((g[0] & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local (incl. fd00:ec2::254 metadata)
  if ((g[0] & 0xffc0) === 0xfe80) return true; // link-local
  if ((g[0] & 0xffc0) === 0xfec0) return true; // site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  return (g[0] & 0xe000) !== 0x2000; // only 2000::/3 is global unicast
}
