/**
 * The monitor with a library: under a deck whose track the library knows,
 * "Title — Artist"; other decks as before.
 */
import { renderMonitor } from '../../src/monitor/render/render-monitor';
import { deckViewOf } from '../../src/monitor/reduce-monitor';
import { deckStateOf } from '../../src/streams/deck-states';
import { received } from '../streams/status-bytes';
import { clubState, DEMO_TRACK, deckView, MASTER_DECK, T0 } from './states';

const NOW = T0 + 42_500;
const DEMO = DEMO_TRACK;

describe('deck titles in the monitor', () => {
  it('reads "Title — Artist" from the deck state\'s track, the title alone without an artist, null without a track', () => {
    const status = deckStateOf(received({ device: 9, name: 'OPUS-QUAD', trackId: 501, bpm: 128 }, 10));
    expect(deckViewOf({ status: { ...status, track: DEMO }, lastBeat: null, seenAt: 0 }).title).toBe('Demo Track 1 — Loopmasters');
    expect(deckViewOf({ status: { ...status, track: { ...DEMO, artist: '' } }, lastBeat: null, seenAt: 0 }).title).toBe('Demo Track 1');
    expect(deckViewOf({ status, lastBeat: null, seenAt: 0 }).title).toBeNull();
  });

  it('puts the title under the deck\'s row, cut to the screen', () => {
    const named = deckView({ ...MASTER_DECK, title: 'Demo Track 1 — Loopmasters' });
    const other = deckView({ ...MASTER_DECK, deck: 2, master: false });
    const lines = renderMonitor(clubState({ decks: [named, other], tail: [] }), { width: 100, height: 30, now: NOW });
    expect(lines.slice(3, 7)).toEqual([
      'DECK TRACK  STATE       BPM   PITCH  TEMPO  BEAT BAR      PHRASE          BEATS',
      '1    501    playing  124.00  +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ 129–192   MASTER ON AIR',
      '     Demo Track 1 — Loopmasters',
      '2    501    playing  124.00  +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ 129–192   ON AIR',
    ]);
    const narrow = renderMonitor(clubState({ decks: [named], tail: [] }), { width: 20, height: 30, now: NOW });
    expect(narrow[5]).toBe('     Demo Track 1 —…');
  });
});
