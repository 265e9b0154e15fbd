/**
 * Why a decoded packet was not believed. Each reason is a code for counting
 * (health summaries, tests) with a sentence for people.
 */
import type { PacketKind } from '../../prolink/packets/packet';

export const REASONS = {
  'device-out-of-range': 'the device number cannot belong to a device of that kind',
  'bad-name': 'the device name is empty or not printable ASCII',
  'address-mismatch': 'the packet claims a device that is known at another address (or a keep-alive names another IP)',
  'identity-mismatch': 'the sender address is known with another name, number, MAC or type',
  'number-conflict': 'the device number is held by another live device',
  'unconfirmed-sender': 'nothing confirmed the sender (no keep-alive, no consistent stream) within the grace period',
  'device-copy-mismatch': 'the copy of the device number in the packet differs from the device number',
  'flags-inconsistent': 'the status flags contradict the play state, the master mode or their fixed bits',
  'track-without-source': 'a track ID without a source player, slot or track type, or a source without a track',
  'bad-field': 'a field holds a value no device sends (play state, beat in bar, pitch, beat counter, chunk index)',
  'pitch-copy-mismatch': 'the two copies of the effective pitch differ',
  'beat-timing': 'the beat packet distances do not agree with its tempo and beat in bar',
  'beat-repeat': 'a second, different beat packet for the same beat of the bar came right after the first',
  'track-jump': 'the track changed under a deck that played on at the same beat, and the next packet did not confirm it',
  'counter-stale': 'the packet counter did not increase (an old or copied packet)',
  'counter-jump': 'the packet counter moved further than the elapsed time allows',
  'too-soon': 'a status right after the previous one that repeats it with a new counter, or changes it without a counter to tell it is news',
} as const;

export type ImplausibleReason = keyof typeof REASONS;

export const IMPLAUSIBLE_REASONS: readonly ImplausibleReason[] = Object.keys(REASONS) as ImplausibleReason[];

/** A packet that was decoded but not believed: counted, never turned into state or events. */
export interface Implausible {
  readonly reason: ImplausibleReason;
  readonly kind: PacketKind;
  /** The device number the packet claims, or null where the family has none. */
  readonly device: number | null;
  readonly address: string;
  readonly at: number;
}
