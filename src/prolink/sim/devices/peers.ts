/**
 * The devices a simulated device has heard keep-alives from (§2.1): players
 * send status to each of them, and the peer count in keep-alives counts them.
 * A peer silent for longer than the timeout is forgotten (§2.1: ~10 s).
 */
import type { KeepAlive } from '../../packets/keep-alive';

export const PEER_TIMEOUT_MS = 10_000;

export interface Peer {
  readonly address: string;
  readonly device: number;
  readonly name: string;
  readonly deviceType: KeepAlive['deviceType'];
  lastSeen: number;
}

export class PeerTable {
  private readonly peers = new Map<string, Peer>();

  constructor(private readonly timeoutMs: number = PEER_TIMEOUT_MS) {}

  /** Records a keep-alive; returns the peer when it is new. */
  see(packet: KeepAlive, from: string, now: number): Peer | null {
    const key = `${from}/${packet.device}/${packet.name}`;
    const known = this.peers.get(key);
    if (known !== undefined) {
      known.lastSeen = now;
      return null;
    }
    const peer: Peer = { address: from, device: packet.device, name: packet.name, deviceType: packet.deviceType, lastSeen: now };
    this.peers.set(key, peer);
    return peer;
  }

  /** Drops peers silent for too long; returns them. */
  expire(now: number): Peer[] {
    const gone: Peer[] = [];
    for (const [key, peer] of this.peers) {
      if (now - peer.lastSeen > this.timeoutMs) {
        this.peers.delete(key);
        gone.push(peer);
      }
    }
    return gone;
  }

  list(): Peer[] {
    return [...this.peers.values()];
  }

  /** Distinct addresses to send unicast status to. */
  addresses(): string[] {
    return [...new Set(this.list().map((p) => p.address))];
  }

  clear(): void {
    this.peers.clear();
  }

  get size(): number {
    return this.peers.size;
  }
}
