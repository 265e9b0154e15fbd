import { clockTime, formatDuration, formatPitch } from '../../src/monitor/render/format';
import { displayWidth, fit, truncate } from '../../src/monitor/render/text-width';
import { bridgeStatus, modeLabel, sourceLabel } from '../../src/monitor/bridge-sources';
import { OutputRouter } from '../../src/outputs/output-router';
import { RateLimitedReporter } from '../../src/outputs/reporter';
import { ProlinkSession } from '../../src/prolink/network/session';
import { MidiError } from '../../src/outputs/midi/midi-errors';

describe('number and time formats', () => {
  it.each([
    [0, '+0.00%'],
    [-0.001, '+0.00%'],
    [1.59, '+1.59%'],
    [-1.587, '-1.59%'],
    [-12.5, '-12.50%'],
    [100, '+100.0%'],
    [-100, '-100.0%'],
  ])('pitch %p → %s', (percent, text) => expect(formatPitch(percent)).toBe(text));

  it('writes times of day and durations', () => {
    expect(clockTime(Date.UTC(2025, 5, 1, 23, 59, 59, 999), 0)).toBe('23:59:59');
    expect(clockTime(Date.UTC(2025, 5, 1, 23, 30, 0), 60)).toBe('00:30:00');
    expect(clockTime(Date.UTC(2025, 5, 1, 0, 30, 0), -90)).toBe('23:00:00');
    expect(formatDuration(42_999)).toBe('0:42');
    expect(formatDuration(723_000)).toBe('12:03');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('terminal cells', () => {
  it('counts wide characters twice and combining marks not at all', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('音楽')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('😀')).toBe(2);
  });

  it('cuts with an ellipsis without splitting a wide character, and pads to the width', () => {
    expect(truncate('Chorus 1', 8)).toBe('Chorus 1');
    expect(truncate('Chorus 12', 8)).toBe('Chorus …');
    expect(truncate('音楽音楽', 4)).toBe('音…');
    expect(truncate('abc', 0)).toBe('');
    expect(fit('7', 3, 'right')).toBe('  7');
    expect(fit('音', 3)).toBe('音 ');
  });
});

describe('bridge sources', () => {
  it('names the mode from the session, and the source from the options', () => {
    expect(modeLabel(null)).toBe('receive only');
    expect(modeLabel({ mode: 'auto', role: 'listening' })).toBe('auto: listening');
    expect(modeLabel({ mode: 'auto', role: 'lighting' })).toBe('lighting mode');
    expect(sourceLabel({ simulate: 'club', replay: null, speed: 1 }, 'x')).toBe('simulator "club"');
    expect(sourceLabel({ simulate: '/shows/festival.yaml', replay: null, speed: 1 }, 'x')).toBe('simulator "festival.yaml"');
    expect(sourceLabel({ simulate: null, replay: '/caps/opus.pcapng', speed: 4 }, 'x')).toBe('replay opus.pcapng ×4');
    expect(sourceLabel({ simulate: null, replay: null, speed: 1 }, 'UDP ports 50000–50002 on 169.254.1.2')).toBe('UDP ports 50000–50002 on 169.254.1.2');
  });

  it('samples the counters of the bridge and its router', () => {
    const router = new OutputRouter({ reporter: new RateLimitedReporter(() => undefined), openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }) });
    router.dispatch({ kind: 'osc', target: 'nowhere', rule: 'r', address: '/x', args: [] });
    const session = new ProlinkSession({ mode: 'auto', identity: { address: '169.254.1.2', mac: '02:00:00:00:00:01', broadcast: '169.254.255.255', hostName: 'test' } });
    expect(bridgeStatus({ stats: { received: 12, malformed: 1, events: 3 }, router, session })).toEqual({
      counters: { packets: 12, malformed: 1, events: 3, sent: 0, unsent: 1 },
      mode: 'auto: listening',
      outputs: { artnetTimecode: [], link: null },
    });
  });
});
