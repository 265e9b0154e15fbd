/** The messages between the bridge and its Link process (link-process.ts ↔ link-host.ts). */
import type { BeatGrid } from '../../timing/beat-grid';
import type { LinkFollowerOptions } from './link-follower';
import type { LinkDriverEvent } from './link-driver';

export interface LinkHostSetup {
  readonly follower: LinkFollowerOptions;
  /** How often the session is read and steered (ms). */
  readonly tickMs: number;
  /** The session's tempo until the deck's is known, when no peer has one (BPM). */
  readonly tempo: number;
}

export type ToLinkHost =
  | { readonly kind: 'start'; readonly setup: LinkHostSetup }
  | { readonly kind: 'grid'; readonly grid: BeatGrid | null }
  | { readonly kind: 'stop' };

export type FromLinkHost =
  | { readonly kind: 'ready' }
  | { readonly kind: 'unavailable'; readonly message: string; readonly cause: string | null }
  | { readonly kind: 'event'; readonly event: LinkDriverEvent }
  | { readonly kind: 'stopped' };
