/**
 * Who has announced itself, from keep-alives (§2.1): an identity is a device
 * number at an address with a name, MAC and type. A keep-alive is believed
 * when it repeats a known identity, or names a new one that collides with no
 * live device:
 *
 * - the same address and number with another name, MAC or type, or the same
 *   name and MAC under another number, while the known identity is still
 *   live (heard within `liveMs`), is a corrupted copy, not a new device;
 * - a number a live device holds at another address is a conflict.
 *
 * A real device that changes its number is believed once its old number has
 * been quiet for `renumberMs` (one keep-alive period): its first keep-alive
 * after that confirms it. Another name, MAC or type under a known number and
 * address waits for the full `liveMs`: real devices do not do that.
 *
 * A new name at an address already known (a second program on a computer, or
 * a corrupted copy of a known device's keep-alive) is held until a second,
 * identical keep-alive comes at least `confirmAfterMs` later, as a real
 * device's next one does; a corrupted copy is never repeated like that.
 * Packets of other kinds are believed from a sender whose identity is known.
 */
import type { KeepAlive } from '../../prolink/packets/keep-alive';
import type { DeviceType } from '../../prolink/packets/device-type';
import type { ImplausibleReason } from './reasons';

export interface Identity {
  readonly address: string;
  readonly device: number;
  readonly name: string;
  readonly mac: string;
  readonly type: DeviceType;
  readonly isOpus: boolean;
  lastSeen: number;
}

export interface IdentityOptions {
  /** An identity this recently heard blocks a conflicting one. */
  readonly liveMs: number;
  /** A device's old number this recently heard blocks its new one. */
  readonly renumberMs: number;
  /** An identity not heard for this long is forgotten (peers time out after ~10 s, §2.1). */
  readonly forgetMs: number;
  /** At most this many identities are kept; the longest silent goes first. */
  readonly maxIdentities: number;
  /** A held new identity is confirmed by an identical keep-alive at least this much later… */
  readonly confirmAfterMs: number;
  /** …and at most this much later; then the held keep-alive is dropped. */
  readonly confirmWithinMs: number;
  /** Held new identities kept at most. */
  readonly maxPending: number;
}

/** What became of a keep-alive: believed (with any held one it confirms), held, or not believed. */
export type KeepAliveVerdict<T> =
  | { readonly believed: readonly T[] }
  | { readonly pending: true; readonly dropped: readonly T[] }
  | { readonly reason: ImplausibleReason };

/** Where a packet claiming `name` and `device` comes from, as far as keep-alives tell. */
export type SenderStanding = 'known' | 'unknown' | Extract<ImplausibleReason, 'address-mismatch' | 'identity-mismatch'>;

function matches(i: Identity, name: string, device: number, isOpus: boolean): boolean {
  return i.name === name && (isOpus ? i.isOpus : i.device === device);
}

interface Pending<T> {
  readonly firstAt: number;
  readonly item: T;
}

/** What forget() returns when nothing was dropped. */
const NOTHING: readonly never[] = [];

export class Identities<T> {
  private readonly byAddress = new Map<string, Identity[]>();
  private readonly pending = new Map<string, Pending<T>>();
  private count = 0;
  /**
   * No identity is forgotten before this instant: the oldest `lastSeen` at
   * the last look, plus forgetMs. Identities are only ever seen again (later)
   * or added (now), so it never comes sooner.
   */
  private forgetNoneBefore = -Infinity;

  constructor(private readonly options: IdentityOptions) {}

  /** Judges a keep-alive (`item` stands for it) and, when it is believed, records or refreshes its identity. */
  keepAlive(k: KeepAlive, address: string, at: number, item: T): KeepAliveVerdict<T> {
    const list = this.byAddress.get(address) ?? [];
    const same = list.find((i) => i.device === k.device);
    if (same !== undefined && same.name === k.name && same.mac === k.mac && same.type === k.deviceType) {
      same.lastSeen = at;
      return { believed: [item] };
    }
    if (same !== undefined && this.isLive(same, at)) return { reason: 'identity-mismatch' };
    const renumbered = list.some((i) => i !== same && i.name === k.name && i.mac === k.mac);
    if (renumbered && list.some((i) => i !== same && i.name === k.name && i.mac === k.mac && at - i.lastSeen < this.options.renumberMs)) return { reason: 'identity-mismatch' };
    for (const [other, identities] of this.byAddress) {
      if (other !== address && identities.some((i) => i.device === k.device && this.isLive(i, at))) return { reason: 'number-conflict' };
    }
    const believed: T[] = [];
    if (!renumbered && list.some((i) => this.isKnown(i, at))) {
      const key = `${address}|${k.device}|${k.name}|${k.mac}|${k.deviceType}`;
      const held = this.pending.get(key);
      if (held === undefined || at - held.firstAt > this.options.confirmWithinMs) {
        const dropped = held === undefined ? [] : [held.item];
        this.pending.delete(key);
        if (this.pending.size >= this.options.maxPending) dropped.push(...this.dropOldestPending());
        this.pending.set(key, { firstAt: at, item });
        return { pending: true, dropped };
      }
      if (at - held.firstAt < this.options.confirmAfterMs) return { pending: true, dropped: [] };
      this.pending.delete(key);
      believed.push(held.item);
    }
    believed.push(item);
    const kept = list.filter((i) => i !== same);
    kept.push({ address, device: k.device, name: k.name, mac: k.mac, type: k.deviceType, isOpus: k.isOpus, lastSeen: at });
    this.count += kept.length - list.length;
    this.byAddress.set(address, kept);
    if (this.count > this.options.maxIdentities) this.forgetOldest();
    return { believed };
  }

  /** Whether a packet from `address` claiming `name`/`device` comes from an announced device. */
  standing(address: string, name: string, device: number, isOpus: boolean, at: number): SenderStanding {
    const here = this.byAddress.get(address);
    let accounted = false;
    if (here !== undefined) {
      for (const i of here) {
        if (!this.isKnown(i, at)) continue;
        if (matches(i, name, device, isOpus)) return 'known';
        accounted = true;
      }
    }
    // Asked for every gated packet: no iterator is made when no other address is known.
    if (this.byAddress.size > (here === undefined ? 0 : 1)) {
      for (const [other, identities] of this.byAddress) {
        if (other === address) continue;
        for (const i of identities) if (this.isKnown(i, at) && matches(i, name, device, isOpus)) return 'address-mismatch';
      }
    }
    return accounted ? 'identity-mismatch' : 'unknown';
  }

  /**
   * Drops identities silent for longer than forgetMs; returns held keep-alives
   * no longer awaited. Asked about once a second: while nothing can be due,
   * it looks at nothing and allocates nothing.
   */
  forget(at: number): readonly T[] {
    let dropped: T[] | null = null;
    if (this.pending.size > 0) {
      for (const [key, held] of this.pending) {
        if (at - held.firstAt <= this.options.confirmWithinMs) continue;
        this.pending.delete(key);
        (dropped ??= []).push(held.item);
      }
    }
    if (at >= this.forgetNoneBefore) {
      let oldest = Infinity;
      for (const [address, list] of this.byAddress) {
        const kept = list.filter((i) => this.isKnown(i, at));
        for (const i of kept) oldest = Math.min(oldest, i.lastSeen);
        if (kept.length === list.length) continue;
        this.count -= list.length - kept.length;
        if (kept.length === 0) this.byAddress.delete(address);
        else this.byAddress.set(address, kept);
      }
      this.forgetNoneBefore = oldest + this.options.forgetMs;
    }
    return dropped ?? NOTHING;
  }

  get size(): number {
    return this.count;
  }

  private isLive(i: Identity, at: number): boolean {
    return at - i.lastSeen < this.options.liveMs;
  }

  private isKnown(i: Identity, at: number): boolean {
    return at - i.lastSeen < this.options.forgetMs;
  }

  private dropOldestPending(): T[] {
    const first = this.pending.entries().next();
    if (first.done === true) return [];
    this.pending.delete(first.value[0]);
    return [first.value[1].item];
  }

  private forgetOldest(): void {
    let oldest: Identity | null = null;
    for (const list of this.byAddress.values()) for (const i of list) if (oldest === null || i.lastSeen < oldest.lastSeen) oldest = i;
    if (oldest === null) return;
    const list = this.byAddress.get(oldest.address) ?? [];
    const kept = list.filter((i) => i !== oldest);
    this.count -= list.length - kept.length;
    if (kept.length === 0) this.byAddress.delete(oldest.address);
    else this.byAddress.set(oldest.address, kept);
  }
}
