/**
 * The tempo master, from the master flag (F bit 5, §3.3) of each deck. During
 * a hand-off (§6.3) the new master raises its flag before the old one drops
 * its own, so the newest claimant wins. Status packets of different decks
 * arrive in any order, though, so the old master's cleared flag may be seen
 * before the new master's raised one: a master's drop only counts when its
 * next status confirms it and no other deck has claimed in between (about one
 * status period, ~200 ms). Then, with no claimant, there is no master.
 */
import { distinctUntilChanged, filter, map, scan, type OperatorFunction } from 'rxjs';
import type { DeckState } from '../events/deck-state';
import type { MasterEvent } from '../events/bridge-event';

export interface MasterTempo {
  readonly deck: number | null;
  readonly effectiveBpm: number | null;
  readonly at: number;
}

interface State {
  readonly claims: ReadonlyMap<number, DeckState>;
  readonly master: number | null;
  /** The master that has dropped its flag once, awaiting confirmation. */
  readonly dropping: number | null;
  /** The master's last state (kept while its drop awaits confirmation). */
  readonly latest: DeckState | null;
  readonly changed: MasterEvent | null;
  readonly tempo: MasterTempo;
}

const INITIAL: State = { claims: new Map(), master: null, dropping: null, latest: null, changed: null, tempo: { deck: null, effectiveBpm: null, at: 0 } };

function step(state: State, next: DeckState): State {
  const claims = new Map(state.claims);
  if (next.master) claims.set(next.deck, next);
  else claims.delete(next.deck);
  let master = state.master;
  let dropping = state.dropping;
  let latest = state.latest;
  if (next.master && master !== next.deck) {
    master = next.deck;
    dropping = null;
  } else if (next.master) {
    dropping = null;
  } else if (master === next.deck) {
    if (claims.size > 0) {
      master = [...claims.keys()].at(-1) ?? null;
      dropping = null;
    } else if (dropping === next.deck) {
      master = null;
      dropping = null;
    } else {
      dropping = next.deck;
    }
  }
  if (master === next.deck) latest = next;
  const masterState = master === null ? null : master === next.deck ? next : (claims.get(master) ?? (latest?.deck === master ? latest : null));
  const effectiveBpm = masterState?.effectiveBpm ?? null;
  const changed: MasterEvent | null =
    master === state.master ? null : { type: 'master.change', at: next.updatedAt, deck: master, previousDeck: state.master, effectiveBpm };
  const tempo = master === state.tempo.deck && effectiveBpm === state.tempo.effectiveBpm ? state.tempo : { deck: master, effectiveBpm, at: next.updatedAt };
  return { claims, master, dropping, latest, changed, tempo };
}

/** master.change events. */
export function masterChanges(): OperatorFunction<DeckState, MasterEvent> {
  return (source) =>
    source.pipe(
      scan(step, INITIAL),
      map((s) => s.changed),
      filter((e): e is MasterEvent => e !== null),
    );
}

/** The master deck and its effective BPM, each time either changes. */
export function masterTempo(): OperatorFunction<DeckState, MasterTempo> {
  return (source) =>
    source.pipe(
      scan(step, INITIAL),
      map((s) => s.tempo),
      distinctUntilChanged(),
    );
}
