import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assertSafeBaseUrl,
  guardedRequest,
  isBlockedAddress,
  resolveSafeAddress,
  UnsafeUrlError,
} from './ssrf-guard.js';

const OFF = { allowInsecureLocal: false };
const ON = { allowInsecureLocal: true };

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof UnsafeUrlError ? err.reason : `other:${String(err)}`;
  }
  return undefined;
}

async function reasonAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof UnsafeUrlError ? err.reason : `other:${String(err)}`;
  }
  return undefined;
}

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::10.0.0.1',
    '2002:7f00:1::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '2001:db8::1',
    'not-an-ip',
  ])('blocks %s', (ip) => expect(isBlockedAddress(ip)).toBe(true));

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('allows public %s', (ip) => expect(isBlockedAddress(ip)).toBe(false));
});

describe('assertSafeBaseUrl', () => {
  it('normalises a good URL and drops the trailing slash', () => {
    expect(assertSafeBaseUrl('https://api.example.com/v1/', OFF)).toBe('https://api.example.com/v1');
  });

  it.each([
    ['http://api.example.com/v1', 'scheme'],
    ['ftp://api.example.com', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['not a url', 'malformed'],
    ['/v1', 'malformed'],
    ['https://u:p@api.example.com/v1', 'userinfo'],
    ['https://api.example.com/v1?x=1', 'query_or_fragment'],
    ['https://api.example.com/v1#frag', 'query_or_fragment'],
    ['https://127.0.0.1/v1', 'blocked_address'],
    ['https://10.0.0.5/v1', 'blocked_address'],
    ['https://169.254.169.254/latest', 'blocked_address'],
    ['https://[::1]/v1', 'blocked_address'],
    ['https://[::ffff:127.0.0.1]/v1', 'blocked_address'],
    ['https://[::ffff:a9fe:a9fe]/v1', 'blocked_address'],
    ['https://[fe80::1]/v1', 'blocked_address'],
    ['https://2130706433/v1', 'blocked_address'], // decimal 127.0.0.1
    ['https://0x7f000001/v1', 'blocked_address'], // hex
    ['https://0177.0.0.1/v1', 'blocked_address'], // octal
    ['https://0x7f.1/v1', 'blocked_address'], // short hex form
    ['https://2852039166/v1', 'blocked_address'], // decimal 169.254.169.254
    ['https://0/v1', 'blocked_address'],
    ['https://0.0.0.0/v1', 'blocked_address'],
  ])('refuses %s (%s)', (url, why) => expect(reason(() => assertSafeBaseUrl(url, OFF))).toBe(why));

  it('allows plain http on 127.0.0.1 only with the local switch', () => {
    expect(assertSafeBaseUrl('http://127.0.0.1:8080/v1', ON)).toBe('http://127.0.0.1:8080/v1');
    expect(reason(() => assertSafeBaseUrl('http://127.0.0.1:8080/v1', OFF))).toBe('scheme');
    expect(reason(() => assertSafeBaseUrl('http://10.0.0.1/v1', ON))).toBe('scheme');
    expect(reason(() => assertSafeBaseUrl('https://[::1]/v1', ON))).toBe('blocked_address');
    expect(reason(() => assertSafeBaseUrl('https://127.0.0.2/v1', ON))).toBe('blocked_address');
  });
});

describe('resolveSafeAddress', () => {
  const resolving = (addresses: string[]) => ({ ...OFF, resolve: () => Promise.resolve(addresses) });

  it('refuses a hostname resolving to a private address', async () => {
    expect(await reasonAsync(resolveSafeAddress(new URL('https://internal.test'), resolving(['10.1.2.3'])))).toBe(
      'blocked_address',
    );
  });

  it('refuses when any of several addresses is private (rebinding pools)', async () => {
    const opts = resolving(['93.184.216.34', '::ffff:127.0.0.1']);
    expect(await reasonAsync(resolveSafeAddress(new URL('https://mixed.test'), opts))).toBe('blocked_address');
  });

  it('refuses localhost through the real resolver', async () => {
    expect(await reasonAsync(resolveSafeAddress(new URL('https://localhost/v1'), OFF))).toMatch(
      /blocked_address|unresolvable/,
    );
  });

  it('returns a public address', async () => {
    expect(await resolveSafeAddress(new URL('https://public.test'), resolving(['93.184.216.34']))).toBe(
      '93.184.216.34',
    );
  });
});

describe('guardedRequest against a canary on 127.0.0.1', () => {
  let canary: Server;
  let redirector: Server;
  let hits = 0;
  let canaryPort = 0;
  let redirectPort = 0;

  beforeAll(async () => {
    canary = createServer((_req, res) => {
      hits += 1;
      res.end('{}');
    });
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    canaryPort = (canary.address() as AddressInfo).port;
    redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${canaryPort}/v1/models` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectPort = (redirector.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => canary.close(r));
    await new Promise((r) => redirector.close(r));
  });

  it('never connects to blocked targets while the switch is off', async () => {
    const urls = [
      `http://127.0.0.1:${canaryPort}/v1`,
      `https://127.0.0.1:${canaryPort}/v1`,
      `https://[::1]:${canaryPort}/v1`,
      `https://[::ffff:127.0.0.1]:${canaryPort}/v1`,
      `https://2130706433:${canaryPort}/v1`,
      `https://0x7f000001:${canaryPort}/v1`,
      `https://localhost:${canaryPort}/v1`,
      `https://10.0.0.5:${canaryPort}/v1`,
      `https://169.254.169.254:${canaryPort}/v1`,
    ];
    for (const url of urls) {
      expect(await reasonAsync(guardedRequest(url, {}, OFF))).toMatch(/scheme|blocked_address|unresolvable/);
    }
    // A public-looking host whose DNS answer is loopback.
    const rebinding = { ...OFF, resolve: () => Promise.resolve(['127.0.0.1']) };
    expect(await reasonAsync(guardedRequest(`https://rebind.test:${canaryPort}/v1`, {}, rebinding))).toBe(
      'blocked_address',
    );
    expect(hits).toBe(0);
  });

  it('does not follow redirects (even with the local switch on)', async () => {
    expect(await reasonAsync(guardedRequest(`http://127.0.0.1:${redirectPort}/v1/models`, {}, ON))).toBe('redirect');
    expect(hits).toBe(0);
  });

  it('reaches 127.0.0.1 over http only with the switch on', async () => {
    const res = await guardedRequest(`http://127.0.0.1:${canaryPort}/v1/models`, {}, ON);
    expect(res.status).toBe(200);
    expect(hits).toBe(1);
  });
});
