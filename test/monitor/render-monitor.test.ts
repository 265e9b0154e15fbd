import fc from 'fast-check';
import { renderMonitor } from '../../src/monitor/render/render-monitor';
import { displayWidth } from '../../src/monitor/render/text-width';
import { initialMonitorState, type TailEntry } from '../../src/monitor/monitor-state';
import { clubState, deckView, EMPTY_DECK, MASTER_DECK, NO_PHRASE_DECK, T0, TAIL } from './states';

const NOW = T0 + 42_500;
type Fired = Extract<TailEntry, { kind: 'fired' }>;
type Message = Extract<TailEntry, { kind: 'message' }>;
const ANSI = /\x1b\[[0-9;]*m/g;

describe('renderMonitor', () => {
  it('lays out header, decks and activity at 100 columns', () => {
    expect(renderMonitor(clubState(), { width: 100, height: 30, now: NOW, hint: 'q quit' })).toEqual([
      'prolink-bridge │ simulator "club" │ lighting mode    packets 12345  malformed 2  events 678  sent 90',
      'master deck 1 at 125.97 BPM │ devices OPUS-QUAD #9 169.254.40.9                              up 0:42',
      '',
      'DECK TRACK  STATE       BPM   PITCH  TEMPO  BEAT BAR      PHRASE          BEATS',
      '1    501    playing  124.00  +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ 129–192   MASTER ON AIR',
      '2    502    paused   126.00  -1.59% 124.00  ~100  25 ○○○● Verse 2  ███▍░░ 65–128    SYNC ON AIR',
      '3           empty',
      '4    123456 playing  122.00  +0.00% 122.00   ~17   5 ●○○○ —',
      '── activity ────────────────────────────────────────────────────────── ~ estimated beats · q quit ──',
      '21:30:01 info  OPUS-QUAD heard at 169.254.40.9: joining in lighting mode',
      '21:30:01 info  phrase data received deck=1 trackId=501 phrases=14 mood=mid',
      '21:30:41 rule  every beat of the master ×57 (deck 1 beat) → show /bridge/beat int:1 bool:true',
      '21:30:41 rule  when the master deck re… (deck 1 beat) → show /bridge/flash int:1; lights note 60 ve…',
      '21:30:42 warn  target "lights" is not open; rule "x" could not send (3 more like it held back)',
    ]);
  });

  it('degrades at 80 columns: shorter header, no track BPM or phrase beat range, lines cut with an ellipsis', () => {
    expect(renderMonitor(clubState(), { width: 80, height: 30, now: NOW, hint: 'q quit' })).toEqual([
      'simulator "club" │ lighting mode                 pkts 12345 bad 2 ev 678 sent 90',
      'master deck 1 at 125.97 BPM │ devices OPUS-QUAD #9 169.254.40.9          up 0:42',
      '',
      'DECK TRACK  STATE      PITCH  TEMPO  BEAT BAR      PHRASE',
      '1    501    playing   +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ MASTER ON AIR',
      '2    502    paused    -1.59% 124.00  ~100  25 ○○○● Verse 2  ███▍░░ SYNC ON AIR',
      '3           empty',
      '4    123456 playing   +0.00% 122.00   ~17   5 ●○○○ —',
      '── activity ────────────────────────────────────── ~ estimated beats · q quit ──',
      '21:30:01 info  OPUS-QUAD heard at 169.254.40.9: joining in lighting mode',
      '21:30:01 info  phrase data received deck=1 trackId=501 phrases=14 mood=mid',
      '21:30:41 rule  every beat of the master ×57 (deck 1 beat) → show /bridge/beat i…',
      '21:30:41 rule  when the master deck re… (deck 1 beat) → show /bridge/flash int:…',
      '21:30:42 warn  target "lights" is not open; rule "x" could not send (3 more lik…',
    ]);
  });

  it('says what it waits for before any deck or device is heard', () => {
    expect(renderMonitor(initialMonitorState('UDP ports 50000–50002 on 169.254.1.2', T0), { width: 100, height: 30, now: T0 + 3_000 })).toEqual([
      // Too long with the program's name: it goes first.
      'UDP ports 50000–50002 on 169.254.1.2 │ starting             packets 0  malformed 0  events 0  sent 0',
      'no master │ devices none heard yet                                                           up 0:03',
      '',
      'waiting for deck status from the DJ gear…',
      '── activity ────────────────────────────────────────────────────────────────────────────────────────',
    ]);
  });

  it('shows a deck without phrase data, with real beats (no ~), and a deck that went silent', () => {
    const cdj = deckView({ ...NO_PHRASE_DECK, deck: 2, trackId: 77, estimated: false, master: true, sync: true, onAir: true });
    const silent = deckView({ ...MASTER_DECK, deck: 3, master: false, seenAt: NOW - 3_001 });
    const lines = renderMonitor(clubState({ decks: [cdj, silent], tail: [] }), { width: 100, height: 30, now: NOW });
    expect(lines.slice(3, 7)).toEqual([
      'DECK TRACK  STATE       BPM   PITCH  TEMPO  BEAT BAR      PHRASE          BEATS',
      '2    77     playing  122.00  +0.00% 122.00    17   5 ●○○○ —                         MST SYN AIR',
      '3    501    silent   124.00  +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ 129–192   ON AIR',
      '── activity ─────────────────────────────────────────────────────────────────── ~ estimated beats ──',
    ]);
  });

  it('shortens the flags when the screen is narrow', () => {
    const all = deckView({ ...MASTER_DECK, sync: true });
    const at = (width: number): string | undefined => renderMonitor(clubState({ decks: [all] }), { width, height: 30, now: NOW })[4];
    expect(at(120)).toBe('1    501    playing  124.00  +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ 129–192   MASTER SYNC ON AIR');
    expect(at(100)).toBe('1    501    playing  124.00  +1.59% 125.97  ~129  33 ●○○○ Chorus 1 ▏░░░░░ 129–192   MST SYN AIR');
    // Narrower: the least needed columns go (beat range, track BPM, track, progress, state) before the flags shrink further.
    expect(at(60)).toBe('1     +1.59% 125.97  ~129  33 ●○○○ Chorus 1 MST SYN AIR');
    expect(at(50)).toBe('1     +1.59% 125.97  ~129  33 ●○○○ MST SYN AIR');
    expect(at(12)).toBe('1    M S A');
  });

  it('cuts a long rule name so that what it sent stays in view', () => {
    const long: TailEntry = { ...(TAIL[3] as Fired), rule: 'x'.repeat(60), sent: ['show /a int:1'] };
    const lines = renderMonitor(clubState({ tail: [long] }), { width: 100, height: 30, now: NOW });
    expect(lines.at(-1)).toBe(`21:30:41 rule  ${'x'.repeat(23)}… (deck 1 beat) → show /a int:1`);
  });

  it('keeps the newest activity when the screen is short, and never draws more lines than it has', () => {
    const lines = renderMonitor(clubState(), { width: 100, height: 11, now: NOW });
    expect(lines).toHaveLength(11);
    expect(lines.slice(9)).toEqual([
      '21:30:41 rule  when the master deck re… (deck 1 beat) → show /bridge/flash int:1; lights note 60 ve…',
      '21:30:42 warn  target "lights" is not open; rule "x" could not send (3 more like it held back)',
    ]);
    expect(renderMonitor(clubState(), { width: 100, height: 3, now: NOW })).toHaveLength(3);
    expect(renderMonitor(clubState(), { width: 100, height: 0, now: NOW })).toEqual([]);
  });

  it('colours only when asked, and the colours add nothing but escape codes', () => {
    const plain = renderMonitor(clubState(), { width: 100, height: 30, now: NOW });
    const coloured = renderMonitor(clubState(), { width: 100, height: 30, now: NOW, color: true });
    expect(plain.join('\n')).not.toMatch(ANSI);
    expect(coloured.join('\n')).toContain('\x1b[1;32mplaying\x1b[0m');
    expect(coloured.map((l) => l.replace(ANSI, ''))).toEqual(plain);
  });

  it('writes times of day in the given UTC offset', () => {
    const lines = renderMonitor(clubState(), { width: 100, height: 30, now: NOW, utcOffsetMinutes: 60 });
    expect(lines.at(-1)).toMatch(/^22:30:42 warn/);
  });

  it('neutralises control characters from outside text', () => {
    const sneaky: TailEntry = { kind: 'message', from: 'log', at: T0, level: 'error', message: 'bad\x1b[2J\nnews', detail: '' };
    const lines = renderMonitor(clubState({ tail: [sneaky] }), { width: 100, height: 30, now: NOW });
    expect(lines.at(-1)).toBe('21:30:00 error bad [2J news');
  });

  it('never draws a line wider than the screen, nor more lines than it is high', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '─', '音', '😀', 'é', '\u0301'), maxLength: 120 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 160 }), fc.integer({ min: 0, max: 40 }), text, text, fc.boolean(), (width, height, rule, source, color) => {
        const tail: TailEntry[] = [...TAIL, { ...(TAIL[2] as Fired), rule }, { ...(TAIL[0] as Message), message: rule }];
        const state = clubState({ source, tail, decks: [MASTER_DECK, EMPTY_DECK, NO_PHRASE_DECK] });
        const lines = renderMonitor(state, { width, height, now: NOW, color, hint: 'q quit' });
        expect(lines.length).toBeLessThanOrEqual(height);
        for (const line of lines) expect(displayWidth(line.replace(ANSI, ''))).toBeLessThanOrEqual(width);
      }),
      { numRuns: 300 },
    );
  });
});
