/**
 * Where Art-Net timecode goes, and what the system's refusals mean: pure
 * functions from `to:` to an address and from error codes to sentences.
 */
import { ArtNetError } from './artnet-errors';

/** `to: broadcast` means the broadcast address of the Art-Net primary network, 2.0.0.0/8. */
export const ARTNET_BROADCAST = '2.255.255.255';
export const BROADCAST_KEYWORD = 'broadcast';
export const LIMITED_BROADCAST = '255.255.255.255';

/** Dotted-quad IPv4, each part 0–255. */
export const IPV4_PATTERN = '^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$';
const IPV4 = new RegExp(IPV4_PATTERN);

/** One IPv4 address of this machine, as os.networkInterfaces() lists it. */
export interface LocalAddress {
  readonly address: string;
  readonly netmask: string;
}

function toNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function toText(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The directed broadcast address of an interface (address with every host bit set). */
export function directedBroadcast(local: LocalAddress): string {
  const address = toNumber(local.address);
  const mask = toNumber(local.netmask);
  return toText((address | (~mask >>> 0)) >>> 0);
}

export interface ArtNetDestination {
  readonly address: string;
  /** Whether the socket must be allowed to broadcast (SO_BROADCAST). */
  readonly broadcast: boolean;
}

/**
 * The address `to:` names: `broadcast` (2.255.255.255), a broadcast address
 * (255.255.255.255, anything ending in .255, or the broadcast address of one
 * of this machine's networks) or a unicast address.
 */
export function resolveDestination(to: string, locals: readonly LocalAddress[]): ArtNetDestination | ArtNetError {
  const text = to.trim();
  if (text === BROADCAST_KEYWORD) return { address: ARTNET_BROADCAST, broadcast: true };
  if (!IPV4.test(text)) {
    return new ArtNetError('bad-address', `"${to}" is not an IPv4 address; write the receiver's address (e.g. 2.0.0.10), its network's broadcast address, or broadcast`);
  }
  const broadcast = text === LIMITED_BROADCAST || text.endsWith('.255') || locals.some((l) => IPV4.test(l.address) && IPV4.test(l.netmask) && directedBroadcast(l) === text);
  return { address: text, broadcast };
}

/** A bind refusal (of `fromPort`) as one sentence. */
export function bindProblem(code: string | undefined, message: string, fromPort: number): ArtNetError {
  if (code === 'EADDRINUSE') {
    return new ArtNetError(
      'port-in-use',
      `Art-Net timecode cannot send from UDP port ${fromPort}: another program (a lighting desk, Resolume or another bridge) already uses it; remove fromPort to send from any free port, or close that program`,
      message,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ArtNetError('bind-failed', `Art-Net timecode is not allowed to use UDP port ${fromPort} (${code}); choose a port above 1023 or remove fromPort`, message);
  }
  return new ArtNetError('bind-failed', `Art-Net timecode cannot open a UDP socket on port ${fromPort}: ${message}`, message);
}

/** A send refusal as one sentence. */
export function sendProblem(code: string | undefined, message: string, destination: ArtNetDestination, port: number): ArtNetError {
  const where = `${destination.address}:${port}`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL' || code === 'ENETDOWN') {
    return new ArtNetError(
      'unreachable',
      `Art-Net timecode cannot reach ${where}: this computer has no network route to it (${code}); connect the lighting network, or set to: to an address on it`,
      message,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    const fix = destination.broadcast
      ? 'a firewall rule blocks it'
      : `if ${destination.address} is a broadcast address, write to: broadcast or the network's broadcast address ending in .255; otherwise a firewall rule blocks it`;
    return new ArtNetError('broadcast-refused', `the system refused Art-Net timecode to ${where} (${code}): ${fix}`, message);
  }
  return new ArtNetError('send-failed', `Art-Net timecode to ${where} could not be sent: ${message}`, message);
}
