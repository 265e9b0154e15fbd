/**
 * The OPUS-QUAD's view of rekordbox-lighting hosts (§2.4–§2.7). A host whose
 * lighting keep-alive is heard is greeted with 0x10 on port 50002, again every
 * helloMs, until it answers with 0x11; from then on it is "streaming" and gets
 * deck status, album art and phrase replies. A host silent for the peer timeout
 * is forgotten and must start over.
 */
export type HostState = 'greeting' | 'streaming';

export interface LightingHost {
  readonly address: string;
  state: HostState;
  lastSeen: number;
  nextHelloAt: number;
}

export class LightingHosts {
  private readonly hosts = new Map<string, LightingHost>();

  constructor(
    private readonly helloMs: number,
    private readonly timeoutMs: number,
  ) {}

  /** A lighting keep-alive from `address`; returns the host when it is new. */
  heard(address: string, now: number): LightingHost | null {
    const known = this.hosts.get(address);
    if (known !== undefined) {
      known.lastSeen = now;
      return null;
    }
    const host: LightingHost = { address, state: 'greeting', lastSeen: now, nextHelloAt: now };
    this.hosts.set(address, host);
    return host;
  }

  /** A 0x11 from `address`; returns true when that host starts streaming now. */
  answered(address: string, now: number): boolean {
    const host = this.hosts.get(address);
    if (host === undefined) return false;
    host.lastSeen = now;
    if (host.state === 'streaming') return false;
    host.state = 'streaming';
    return true;
  }

  /** Hosts to greet at `now`; their next greeting is scheduled. */
  dueHellos(now: number): string[] {
    const due: string[] = [];
    for (const host of this.hosts.values()) {
      if (host.state === 'greeting' && host.nextHelloAt <= now) {
        due.push(host.address);
        host.nextHelloAt = now + this.helloMs;
      }
    }
    return due;
  }

  streaming(): string[] {
    return [...this.hosts.values()].filter((h) => h.state === 'streaming').map((h) => h.address);
  }

  isStreaming(address: string): boolean {
    return this.hosts.get(address)?.state === 'streaming';
  }

  get size(): number {
    return this.hosts.size;
  }

  /** Forgets hosts silent for longer than the timeout; returns their addresses. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [address, host] of this.hosts) {
      if (now - host.lastSeen > this.timeoutMs) {
        this.hosts.delete(address);
        gone.push(address);
      }
    }
    return gone;
  }

  nextDue(): number {
    let next = Infinity;
    for (const host of this.hosts.values()) {
      if (host.state === 'greeting') next = Math.min(next, host.nextHelloAt);
      next = Math.min(next, host.lastSeen + this.timeoutMs + 1);
    }
    return next;
  }

  clear(): void {
    this.hosts.clear();
  }
}
