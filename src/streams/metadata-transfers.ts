/**
 * Phrase data and album art from the OPUS-QUAD (§7). When a deck loads a
 * track, PSSI is requested with 0x55; the 0x56 chunks that come back are
 * reassembled and parsed. A request that gets no complete answer in time (a
 * lost chunk, a busy OPUS) is sent again, a few times, then reported as
 * failed. Art (data type 02) arrives unprompted after a load.
 *
 * The stream never sends anything itself: it emits `request` values that the
 * app turns into 0x55 packets (in lighting mode).
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { map, merge, Observable } from '../rx';
import type { BinaryChunk } from '../prolink/packets/binary-chunk';
import { DATA_TYPE_ART, DATA_TYPE_PSSI } from '../prolink/packets/binary-chunk';
import { ChunkReassembler } from '../prolink/transfer/chunk-reassembler';
import { songStructureFromTransfer } from '../prolink/transfer/pssi-transfer';
import { isPhraseError } from '../prolink/phrases/errors';
import type { SongStructure } from '../prolink/phrases/song-structure';
import type { TransferEvent } from '../prolink/transfer/types';
import type { Received } from './received';

export interface TrackLoaded {
  readonly deck: number;
  /** Device number the deck reports (OPUS: 9–12), needed in the 0x55 request. */
  readonly deckDevice: number;
  readonly trackId: number;
}

export type MetadataOutput =
  | { readonly kind: 'structure'; readonly deck: number; readonly trackId: number; readonly structure: SongStructure; readonly at: number }
  | { readonly kind: 'artwork'; readonly deck: number; readonly trackId: number; readonly jpeg: Buffer; readonly at: number }
  | { readonly kind: 'request'; readonly deck: number; readonly deckDevice: number; readonly trackId: number; readonly attempt: number }
  | { readonly kind: 'failed'; readonly deck: number; readonly trackId: number; readonly message: string };

export interface MetadataOptions {
  /** Time to wait for a complete PSSI transfer before asking again. */
  readonly retryAfterMs?: number;
  readonly maxAttempts?: number;
  readonly checkEveryMs?: number;
}

interface Wanted extends TrackLoaded {
  readonly attempts: number;
  readonly lastRequestAt: number;
}

type Input = { readonly chunk: Received<BinaryChunk> } | { readonly load: TrackLoaded } | { readonly tick: number };

interface State {
  readonly reassembler: ChunkReassembler;
  readonly wanted: Map<number, Wanted>;
}

export function metadataTransfers(
  chunks: Observable<Received<BinaryChunk>>,
  loads: Observable<TrackLoaded>,
  scheduler: SchedulerLike,
  options: MetadataOptions = {},
): Observable<MetadataOutput> {
  const retryAfterMs = options.retryAfterMs ?? 2000;
  const maxAttempts = options.maxAttempts ?? 5;
  const checkEveryMs = options.checkEveryMs ?? 250;
  const inputs = merge(chunks.pipe(map((chunk): Input => ({ chunk }))), loads.pipe(map((load): Input => ({ load }))));

  const request = (w: Wanted, now: number, wanted: Map<number, Wanted>, out: MetadataOutput[]): void => {
    const attempt = w.attempts + 1;
    wanted.set(w.deck, { ...w, attempts: attempt, lastRequestAt: now });
    out.push({ kind: 'request', deck: w.deck, deckDevice: w.deckDevice, trackId: w.trackId, attempt });
  };

  const retryExpired = (events: readonly TransferEvent[], now: number, wanted: Map<number, Wanted>, out: MetadataOutput[]): void => {
    for (const event of events) {
      if (event.type !== 'expired' || event.transfer.dataType !== DATA_TYPE_PSSI) continue;
      const w = wanted.get(event.transfer.deck);
      // Only when the dropped transfer answered the latest request; otherwise a retry is already under way.
      const answeredLatest = w !== undefined && event.transfer.startedAt >= w.lastRequestAt;
      if (w !== undefined && answeredLatest && w.trackId === event.transfer.trackId && w.attempts < maxAttempts) request(w, now, wanted, out);
    }
  };

  // One reassembler and one set of wanted transfers per subscription, updated in place.
  const initial = (): State => ({ reassembler: new ChunkReassembler({ now: () => scheduler.now(), timeoutMs: retryAfterMs }), wanted: new Map() });
  const step = ({ reassembler, wanted }: State, input: Input, out: MetadataOutput[]): void => {
    const now = scheduler.now();
    if ('load' in input) {
      request({ ...input.load, attempts: 0, lastRequestAt: now }, now, wanted, out);
    } else if ('tick' in input) {
      retryExpired(reassembler.expire(), now, wanted, out);
      for (const w of [...wanted.values()]) {
        if (now - w.lastRequestAt < retryAfterMs) continue;
        if (w.attempts < maxAttempts) request(w, now, wanted, out);
        else {
          wanted.delete(w.deck);
          out.push({ kind: 'failed', deck: w.deck, trackId: w.trackId, message: `no complete phrase data for track ${w.trackId} on deck ${w.deck} after ${w.attempts} requests` });
        }
      }
    } else {
      const { packet, at } = input.chunk;
      const result = reassembler.push(packet);
      retryExpired(result.events, now, wanted, out);
      if (result.status === 'complete') {
        const { deck, trackId, dataType } = result.transfer;
        if (dataType === DATA_TYPE_PSSI) {
          const structure = songStructureFromTransfer(result.data);
          const w = wanted.get(deck);
          if (!isPhraseError(structure)) {
            if (w?.trackId === trackId) wanted.delete(deck);
            out.push({ kind: 'structure', deck, trackId, structure, at });
          } else if (w?.trackId === trackId && w.attempts < maxAttempts) {
            request(w, now, wanted, out);
          }
        } else if (dataType === DATA_TYPE_ART) {
          out.push({ kind: 'artwork', deck, trackId, jpeg: result.data, at });
        }
      }
    }
  };
  /** Something a check can act on: a request waiting for its answer, or a transfer that may go stale. */
  const busy = ({ reassembler, wanted }: State): boolean => wanted.size > 0 || reassembler.stats().active > 0;
  return new Observable<MetadataOutput>((subscriber) => {
    const state = initial();
    // Checks come every checkEveryMs from the subscription, as an interval's would, but only while
    // there is something to check: an idle bridge is not woken four times a second for nothing.
    // (A check with nothing wanted and no transfer under way does nothing: a chunk expires stale ones first.)
    const start = scheduler.now();
    let check: Subscription | null = null;
    const arm = (): void => {
      if (check !== null || subscriber.closed || !busy(state)) return;
      const now = scheduler.now();
      const next = start + (Math.floor((now - start) / checkEveryMs) + 1) * checkEveryMs;
      check = scheduler.schedule(() => {
        check = null;
        run({ tick: scheduler.now() });
      }, next - now);
    };
    const run = (input: Input): void => {
      try {
        const out: MetadataOutput[] = [];
        step(state, input, out);
        // Emitted once the state is complete, so whatever an output leads to sees it updated.
        for (const o of out) subscriber.next(o);
        arm();
      } catch (error: unknown) {
        subscriber.error(error);
      }
    };
    // Like the interval it replaces, the checks never complete: neither does the output.
    const subscription = inputs.subscribe({ next: run, error: (error: unknown) => subscriber.error(error) });
    return () => {
      subscription.unsubscribe();
      check?.unsubscribe();
    };
  });
}
