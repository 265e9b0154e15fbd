/**
 * The dashboard's pure parts: phrase blocks from a structure (fills marked),
 * target health from router states and reports, the snapshot's deck cards
 * and fired rows, and the access checks (token, Host, Origin).
 */
import { phraseBlocks } from '../../src/dashboard/phrase-blocks';
import { tallyReport, targetRows, type TargetTally } from '../../src/dashboard/target-health';
import { deckCard, describeEvent, firedRows } from '../../src/dashboard/dashboard-snapshot';
import { DEMO_TRACK, deckView } from '../monitor/states';
import { deck } from '../mapping/engine-support';
import { checkAccess, sameOrigin, tokenMatches } from '../../src/dashboard/dashboard-access';
import type { SongStructure, Phrase } from '../../src/prolink/phrases/song-structure';
import type { TailEntry } from '../../src/monitor/monitor-state';
import type { BeatEvent } from '../../src/events/bridge-event';

function phrase(beat: number, kind: Phrase['kind'], label: string, fillBeat: number | null = null): Phrase {
  return { index: beat, beat, kindRaw: 0, kind, label, k1: 0, k2: 0, k3: 0, b: 0, beat2: 0, beat3: 0, beat4: 0, fill: fillBeat !== null, fillBeat };
}

const structure: SongStructure = {
  mood: 'mid',
  moodRaw: 2,
  bank: 'default',
  bankRaw: 0,
  endBeat: 129,
  masked: false,
  phrases: [phrase(1, 'intro', 'Intro'), phrase(33, 'verse2', 'Verse 2', 61), phrase(65, 'chorus', 'Chorus'), phrase(97, 'outro', 'Outro', 200)],
};

describe('phrase blocks', () => {
  it('spans each phrase to the next one, keeps its fill inside it, and names its colour family', () => {
    expect(phraseBlocks(structure)).toEqual([
      { kind: 'intro', family: 'intro', label: 'Intro', startBeat: 1, endBeat: 33, fillBeat: null },
      { kind: 'verse2', family: 'verse', label: 'Verse 2', startBeat: 33, endBeat: 65, fillBeat: 61 },
      { kind: 'chorus', family: 'chorus', label: 'Chorus', startBeat: 65, endBeat: 97, fillBeat: null },
      // A fill past the end of the track is not drawn.
      { kind: 'outro', family: 'outro', label: 'Outro', startBeat: 97, endBeat: 129, fillBeat: null },
    ]);
  });
});

describe('target health', () => {
  const tcp = { name: 'lights', kind: 'osc-tcp' as const, state: 'connecting', sent: 0, dropped: 0, clients: null, lastError: 'cannot reach 127.0.0.1:9 over TCP: connect ECONNREFUSED' };
  const report = (code: string, suppressed = 0): Parameters<typeof tallyReport>[1] => ({ level: 'warn', target: 'lights', code, message: code, suppressed });

  it('counts refusals and lost connections with the repeats a report stands for, and keeps the state through drop reports', () => {
    let tallies: ReadonlyMap<string, TargetTally> = new Map();
    tallies = tallyReport(tallies, report('unreachable'), 1000);
    tallies = tallyReport(tallies, report('unreachable', 4), 6000);
    tallies = tallyReport(tallies, report('dropped', 9), 6500);
    expect(targetRows([tcp], tallies, 7000)).toEqual([expect.objectContaining({ name: 'lights', state: 'refused', refused: 6, reconnects: 0 })]);
    tallies = tallyReport(tallies, report('connected'), 8000);
    expect(targetRows([{ ...tcp, state: 'connected' }], tallies, 8000)[0]?.state).toBe('connected');
    tallies = tallyReport(tallies, report('closed'), 9000);
    expect(targetRows([{ ...tcp, state: 'disconnected' }], tallies, 9000)[0]).toEqual(expect.objectContaining({ state: 'reconnecting', reconnects: 1, refused: 6 }));
  });

  it('shows a UDP target whose receiver refused lately as refused, and as sending again once that is 10 s old', () => {
    const udp = { ...tcp, kind: 'osc-udp' as const, state: 'ready' };
    const tallies = tallyReport(new Map(), report('refused'), 1000);
    expect(targetRows([udp], tallies, 5000)[0]?.state).toBe('refused');
    expect(targetRows([udp], tallies, 12_000)[0]?.state).toBe('sending');
    expect(targetRows([udp], new Map(), 0)[0]?.state).toBe('sending');
  });
});

describe('snapshot parts', () => {
  const beat: BeatEvent = { type: 'beat', at: 10, deck: 2, beat: 129, beatInBar: 1, effectiveBpm: 128, estimated: true, late: false, coasting: false };

  it('lists fired rules newest first, with their targets', () => {
    const tail: TailEntry[] = [
      { kind: 'fired', at: 1, rule: 'old', event: beat, sent: ['lights /a'], count: 3 },
      { kind: 'message', from: 'bridge', at: 2, level: 'warn', message: 'not a rule', detail: '' },
      { kind: 'fired', at: 3, rule: 'new', event: beat, sent: ['lights /b', 'midi note 60 vel 100 ch 1 for 100 ms'], count: 1 },
    ];
    expect(firedRows(tail)).toEqual([
      { at: 3, rule: 'new', event: 'beat deck 2 #129 (1/4)', targets: ['lights', 'midi'], sent: ['lights /b', 'midi note 60 vel 100 ch 1 for 100 ms'], count: 1 },
      { at: 1, rule: 'old', event: 'beat deck 2 #129 (1/4)', targets: ['lights'], sent: ['lights /a'], count: 3 },
    ]);
    expect(firedRows(tail, 1).map((r) => r.rule)).toEqual(['new']);
    expect(describeEvent({ type: 'play', at: 0, deck: 3 })).toBe('play deck 3');
  });
});

describe('access', () => {
  const url = (q: string): URL => new URL(`http://127.0.0.1:8787/${q}`);

  it('compares tokens whole, and lets anyone in when there is none', () => {
    expect(tokenMatches(null, null)).toBe(true);
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });

  it('answers only loopback Host names while local, and any with the token when listening wider', () => {
    const local = { token: null, loopbackOnly: true };
    expect(checkAccess({ url: url(''), host: '127.0.0.1:8787', origin: undefined }, local)).toEqual({ ok: true });
    expect(checkAccess({ url: url(''), host: '[::1]:8787', origin: undefined }, local)).toEqual({ ok: true });
    expect(checkAccess({ url: url(''), host: 'localhost', origin: undefined }, local)).toEqual({ ok: true });
    expect(checkAccess({ url: url(''), host: 'attacker.example:8787', origin: undefined }, local)).toEqual(expect.objectContaining({ ok: false, status: 403 }));
    expect(checkAccess({ url: url(''), host: undefined, origin: undefined }, local)).toEqual(expect.objectContaining({ ok: false, status: 403 }));
    const wide = { token: 'tok', loopbackOnly: false };
    expect(checkAccess({ url: url('?token=tok'), host: '192.168.1.20:8787', origin: undefined }, wide)).toEqual({ ok: true });
    expect(checkAccess({ url: url('?token=no'), host: '192.168.1.20:8787', origin: undefined }, wide)).toEqual(expect.objectContaining({ ok: false, status: 401 }));
  });

  it('takes an Origin of the same host and port only', () => {
    expect(sameOrigin('http://127.0.0.1:8787', '127.0.0.1:8787')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:8788', '127.0.0.1:8787')).toBe(false);
    expect(sameOrigin('http://evil.example', '127.0.0.1:8787')).toBe(false);
    expect(sameOrigin('null', '127.0.0.1:8787')).toBe(false);
    expect(sameOrigin('file://', '127.0.0.1:8787')).toBe(false);
    expect(sameOrigin(undefined, '127.0.0.1:8787')).toBe(true); // not a browser
  });
});

describe('deck cards', () => {
  it('name the library track when the deck has one, and leave title and artist null without', () => {
    const view = deckView({ deck: 1, trackId: 184 });
    const track = { ...DEMO_TRACK, source: '/media/usb' };
    const named = deckCard(view, { status: deck(1, { track }), lastBeat: null, seenAt: 0 }, undefined, undefined);
    expect([named.title, named.artist]).toEqual(['Demo Track 1', 'Loopmasters']);
    const unknown = deckCard(view, { status: deck(1), lastBeat: null, seenAt: 0 }, undefined, undefined);
    expect([unknown.title, unknown.artist, unknown.trackId]).toEqual([null, null, 184]);
  });
});
