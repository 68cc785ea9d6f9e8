import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { PipelaneError } from '../../node-kit/index.js';

/**
 * Who may talk to the HTTP transport: where it listens, the bearer token, and the Host / Origin
 * names it accepts (DNS-rebinding protection). Pure functions over headers, so they are tested
 * without a socket.
 */

/** Host names (as `URL.hostname` spells them) that always mean this machine. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `--http [host:]port`: `3000`, `127.0.0.1:0`, `localhost:3000`, `[::1]:3000`, `0.0.0.0:8080`. */
export function parseListenAddress(spec: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]:|([^:[\]\s]+):)?(\d{1,5})$/.exec(spec.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65_535) {
    throw new PipelaneError('USAGE', `--http takes [host:]port, got "${spec}".`, {
      hint: 'Examples: --http 3000, --http 127.0.0.1:0 (a free port), --http [::1]:3000.',
    });
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

/** True for names and addresses that only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) {
    if (name === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(name)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

/** `URL.hostname` spelling of a host: lower case, IPv6 in brackets. */
export function normalizeHostname(host: string): string {
  const name = host.trim().toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

export interface AccessPolicy {
  /** Host header names accepted; undefined accepts any Host (a non-loopback bind with a token and no list). */
  allowedHostnames: ReadonlySet<string> | undefined;
  /** Bearer token every request must carry; undefined when none is required. */
  token: string | undefined;
}

export interface AccessOptions {
  host: string;
  token?: string | undefined;
  allowedHosts?: readonly string[] | undefined;
}

/**
 * Decides the policy for a listen address. Loopback binds accept loopback names (and the listed
 * ones); any other bind requires a token, since a network peer could otherwise run pipelines.
 */
export function accessPolicy(options: AccessOptions): AccessPolicy {
  const token = options.token === '' ? undefined : options.token;
  const listed = (options.allowedHosts ?? []).map(normalizeHostname).filter(Boolean);
  if (!isLoopbackHost(options.host)) {
    if (token === undefined) {
      throw new PipelaneError(
        'MCP_HTTP_TOKEN_REQUIRED',
        `Serving MCP on ${options.host}, which is not a loopback address, needs a bearer token: anyone who reaches the port could run pipelines and read workspace files.`,
        { hint: 'Set PIPELANE_MCP_TOKEN (or pass --token), or listen on loopback: --http 127.0.0.1:<port>.' },
      );
    }
    return { token, allowedHostnames: listed.length > 0 ? new Set(listed) : undefined };
  }
  const bound = normalizeHostname(options.host);
  return { token, allowedHostnames: new Set([...LOOPBACK_HOSTNAMES, bound, ...listed]) };
}

/** Hostname of a Host header or an Origin, as `URL.hostname` spells it; undefined when unparsable. */
function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * DNS-rebinding protection, port-agnostic like the SDK's `hostHeaderValidation` middleware: the
 * Host header must name an allowed host, and an Origin, when a browser sends one, must too (or, with
 * no Host list, be loopback or the Host itself). Returns why a request is refused, or undefined.
 */
export function rejectHostOrOrigin(headers: IncomingHttpHeaders, policy: AccessPolicy): string | undefined {
  const host = headers.host;
  const hostname = host ? hostnameOf(`http://${host}`) : undefined;
  if (policy.allowedHostnames) {
    if (!host) return 'Missing Host header';
    if (!hostname || !policy.allowedHostnames.has(hostname)) return `Invalid Host: ${host}`;
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    const originHost = hostnameOf(origin);
    const allowed = policy.allowedHostnames
      ? originHost !== undefined && policy.allowedHostnames.has(originHost)
      : originHost !== undefined && (LOOPBACK_HOSTNAMES.includes(originHost) || originHost === hostname);
    if (!allowed) return `Invalid Origin: ${origin}`;
  }
  return undefined;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first, so the comparison takes the
 * same time whatever the given token's length or content.
 */
export function checkBearer(authorization: string | undefined, token: string): 'ok' | 'missing' | 'invalid' {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'missing';
  return timingSafeEqual(digest(match[1]!), digest(token)) ? 'ok' : 'invalid';
}
