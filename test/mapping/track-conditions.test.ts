/**
 * Rules on the deck's library track: title, artist, album, genre, comment
 * (text or /regex/) and color, and {{ deck.track.* }} in templates.
 */
import { initialMemory, runEvent, type OutputCommand } from '../../src/mapping/engine';
import type { BridgeEvent } from '../../src/events/bridge-event';
import type { TrackInfo } from '../../src/events/deck-state';
import { compileErrors, compileYaml, deck, world } from './engine-support';
import { DEMO_TRACK } from '../monitor/states';

/** Demo Track 1 as matched from a USB, with a colour and its comment set. */
const DEMO: TrackInfo = { ...DEMO_TRACK, color: 'Pink', comment: 'Tracks by www.loopmasters.com', source: '/media/usb' };

const load = (track: TrackInfo | null): BridgeEvent => ({ type: 'track.load', at: 1, deck: 1, trackId: 5, previousTrackId: null, track });
const play: BridgeEvent = { type: 'play', at: 2, deck: 1 };

function addresses(rules: string, event: BridgeEvent, track: TrackInfo | null): string[] {
  const mapping = compileYaml(rules);
  const { commands } = runEvent(mapping, event, world([deck(1, { track })]), initialMemory(mapping));
  return commands.map((c: OutputCommand) => (c.kind === 'osc' ? `${c.address} ${c.args.map((a) => (a.type === 'nil' ? 'nil' : String(a.value))).join(' ')}`.trim() : c.kind));
}

describe('track conditions', () => {
  it('match the title exactly, ignoring case, on the track.load event\'s own track', () => {
    const rules = `  - { on: track.load, when: { title: "demo track 1" }, send: [{ osc: { to: resolume, address: /hit, args: ["{{ event.track.title }}"] } }] }`;
    expect(addresses(rules, load(DEMO), null)).toEqual(['/hit Demo Track 1']);
    expect(addresses(rules, load({ ...DEMO, title: 'Demo Track 10' }), null)).toEqual([]);
    expect(addresses(rules, load(null), null)).toEqual([]);
  });

  it('match /regex/flags and lists, and read the deck state\'s track on other events', () => {
    const rules = `  - { on: play, when: { artist: "/^loop/i", comment: ["nothing", "/loopmasters\\\\.com$/"] }, send: [{ osc: { to: resolume, address: "/play/{{ deck.track.key }}", args: ["{{ deck.track.title }}", "{{ deck.track.match }}"] } }] }`;
    expect(addresses(rules, play, DEMO)).toEqual(['/play/Fm Demo Track 1 phrase-fingerprint']);
    expect(addresses(rules, play, { ...DEMO, artist: 'Not Loopmasters' })).toEqual([]);
    expect(addresses(rules, play, null)).toEqual([]);
  });

  it('match colour names ignoring case; a deck without a library track never matches', () => {
    const rules = `  - { on: play, when: { color: [pink, Red] }, send: [{ osc: { to: resolume, address: /c } }] }`;
    expect(addresses(rules, play, DEMO)).toEqual(['/c']);
    expect(addresses(rules, play, { ...DEMO, color: 'Blue' })).toEqual([]);
    expect(addresses(rules, play, { ...DEMO, color: '' })).toEqual([]);
  });

  it('render an unknown track as empty text in templates, and rules without track conditions still fire', () => {
    const rules = `  - { on: play, send: [{ osc: { to: resolume, address: /t, args: ["[{{ deck.track.title }}]"] } }] }`;
    expect(addresses(rules, play, null)).toEqual(['/t []']);
  });
});

describe('WebSocket messages', () => {
  it('carry the track.load event\'s track as it is, and deck.track fields through templates', () => {
    const mapping = compileYaml(`  - { on: track.load, send: [{ ws: { to: dash } }, { ws: { to: dash, message: { title: "{{ deck.track.title }}", rating: "{{ deck.track.rating }}" } } }] }`);
    const { commands } = runEvent(mapping, load(DEMO), world([deck(1, { track: DEMO })]), initialMemory(mapping));
    const messages = commands.map((c) => (c.kind === 'ws' ? JSON.parse(JSON.stringify(c.message)) : null));
    expect(messages[0]).toMatchObject({ type: 'track.load', trackId: 5, track: { title: 'Demo Track 1', artist: 'Loopmasters', match: 'phrase-fingerprint', source: '/media/usb' } });
    expect(messages[1]).toEqual({ title: 'Demo Track 1', rating: 0 });
  });
});

describe('track condition errors', () => {
  it('name a regular expression that does not compile, at its place', () => {
    expect(compileErrors(`  - { on: play, when: { title: "/(unclosed/i" }, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:32 rules[0].when.title: "/(unclosed/i" is not a regular expression: Invalid regular expression: /(unclosed/i: Unterminated group',
    ]);
  });

  it('name the list entry of a bad pattern', () => {
    expect(compileErrors(`  - { on: play, when: { genre: [Techno, "/[/"] }, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:41 rules[0].when.genre[1]: "/[/" is not a regular expression: Invalid regular expression: /[/: Unterminated character class',
    ]);
  });

  it('suggest the colour meant', () => {
    expect(compileErrors(`  - { on: play, when: { color: Purpel }, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:32 rules[0].when.color: unknown track colour "Purpel" (did you mean "Purple"? known: Pink, Red, Orange, Yellow, Green, Aqua, Blue, Purple)',
    ]);
  });

  it('reject unknown fields of deck.track', () => {
    expect(compileErrors(`  - { on: play, send: [{ osc: { to: resolume, address: "/{{ deck.track.bpm }}" } }] }`)[0]).toContain('unknown field "bpm" of deck.track');
  });
});
