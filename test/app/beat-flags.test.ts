/**
 * The flags that say how a beat was made reach mapping rules: `estimated`
 * and `late` in conditions and templates, as the wiring hands beat events to
 * the engine.
 */
import type { BeatEvent } from '../../src/events/bridge-event';
import { initialMemory, runEvent } from '../../src/mapping/engine';
import { compileErrors, compileYaml, deck, world } from '../mapping/engine-support';

const beat = (late: boolean, estimated = true): BeatEvent => ({ type: 'beat', at: 500, deck: 1, beat: 9, beatInBar: 1, effectiveBpm: 128, estimated, late, coasting: false });

describe('beat flags in mapping rules', () => {
  const w = world([deck(1, { master: true })], 1);
  const m = compileYaml(`
  - name: on time
    on: beat
    when: { expr: "not event.late" }
    send: [{ osc: { to: resolume, address: /beat, args: ["{{ event.estimated }}", "{{ event.late }}"] } }]
  - { name: all, on: downbeat, send: [{ osc: { to: resolume, address: /down, args: ["{{ event.late }}"] } }] }
`);
  const sent = (e: BeatEvent): string[] =>
    runEvent(m, e, w, initialMemory(m)).commands.flatMap((c) => (c.kind === 'osc' ? [`${c.address} ${c.args.map((a) => ('value' in a ? String(a.value) : a.type)).join(' ')}`] : []));

  it('reads late and estimated in conditions and templates', () => {
    expect(sent(beat(false))).toEqual(['/beat true false', '/down false']);
    expect(sent(beat(true))).toEqual(['/down true']);
    expect(sent(beat(false, false))).toEqual(['/beat false false', '/down false']);
  });

  it('knows late as a field of beat events only', () => {
    expect(compileErrors('  - { on: beat, when: { expr: "event.late" }, send: [{ osc: { to: resolume, address: /x } }] }')).toEqual([]);
    expect(compileErrors('  - { on: track.load, when: { expr: "event.late" }, send: [{ osc: { to: resolume, address: /x } }] }').join('\n')).toMatch(/late/);
  });
});
