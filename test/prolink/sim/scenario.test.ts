import { VirtualClock } from '../../../src/prolink/sim/clock';
import { parseScenario, ScenarioError, type Scenario } from '../../../src/prolink/sim/scenario';
import { BUILTIN_SCENARIOS, builtinScenario } from '../../../src/prolink/sim/scenario-builtins';
import { findScenario, scenarioFromText } from '../../../src/prolink/sim/scenario-file';
import { tracksOf } from '../../../src/prolink/sim/tracks/track-library';
import { readFileFromDisk, startSimulator } from '../../../src/prolink/sim/simulator';
import { VirtualLan } from '../../../src/prolink/sim/transport/virtual-lan';
import { fixturePath } from '../../support/fixtures';
import { ANLZ } from '../phrases/anlz-fixtures';

function errorOf(raw: unknown): string {
  const result = parseScenario(raw, 'set.yaml');
  if (!(result instanceof ScenarioError)) throw new Error('expected the scenario to be rejected');
  return result.message;
}

const base = {
  name: 'x',
  rig: 'opus',
  tracks: [{ id: 1, bpm: 128, beats: 100 }],
  steps: [{ at: 0, do: 'load', deck: 1, track: 1 }],
};

describe('scenario format', () => {
  it('accepts the built-in scenarios', () => {
    for (const [name, scenario] of BUILTIN_SCENARIOS) {
      expect(parseScenario(JSON.parse(JSON.stringify(scenario)), name)).toEqual(scenario);
    }
    expect(builtinScenario('nope')).toBeInstanceOf(ScenarioError);
    expect((builtinScenario('nope') as ScenarioError).message).toContain('club, cdj-pair');
  });

  it.each([
    [{ ...base, steps: [{ at: 0, do: 'dance', deck: 1 }] }, 'set.yaml: steps[0].do'],
    [{ ...base, steps: [{ at: 0, do: 'play', deck: 1, speed: 2 }] }, 'steps[0]'],
    [{ ...base, rig: 'cdj-pair', steps: [{ at: 0, do: 'play', deck: 1 }] }, 'steps[0].deck: the cdj-pair rig has no deck 1 (decks: 2, 3)'],
    [{ ...base, steps: [{ at: 10, do: 'play', deck: 1 }, { at: 5, do: 'stop', deck: 1 }] }, 'steps[1].at: 5 comes before'],
    [{ ...base, steps: [{ at: 0, do: 'load', deck: 1, track: 9 }] }, 'steps[0].track: no track with id 9'],
    [{ ...base, steps: [{ at: 10, do: 'repeat' }, { at: 20, do: 'play', deck: 1 }] }, 'steps[0]: repeat must be the last step'],
    [{ ...base, rig: 'cdj-pair', steps: [{ at: 0, do: 'opusRestart', ms: 100 }] }, 'only the opus rig can restart'],
    [{ ...base, options: { players: 'cdj-3000' } }, 'options.players: only the cdj-pair rig has players to choose'],
    [{ ...base, rig: 'cdj-pair', steps: [{ at: 0, do: 'play', deck: 2 }], options: { players: 'cdj-2000' } }, 'options.players'],
    [{ ...base, tracks: [...base.tracks, { id: 1, bpm: 120, beats: 10 }] }, 'tracks[1].id: track 1 is defined twice'],
    [{ ...base, steps: [{ at: 0, do: 'pitch', deck: 1, percent: 150 }] }, 'steps[0].percent'],
    [{ ...base, steps: [{ at: 0, do: 'repeat' }] }, 'steps[0].at'],
    [{ ...base, steps: [{ at: 0, do: 'nudge', deck: 1, ms: 0 }] }, 'steps[0].ms: a nudge of 0 ms moves nothing'],
    [{ ...base, steps: [{ at: 0, do: 'nudge', deck: 1, ms: 30, overMs: 0 }] }, 'steps[0].overMs'],
    [{ ...base, steps: [{ at: 0, do: 'double', deck: 1, from: 1 }] }, 'steps[0].from: a deck doubles another deck, not itself'],
    [{ ...base, rig: 'cdj-pair', steps: [{ at: 0, do: 'double', deck: 2, from: 4 }] }, 'steps[0].from: the cdj-pair rig has no deck 4 (decks: 2, 3)'],
  ])('rejects %j with a message naming the place', (raw, expected) => {
    expect(errorOf(raw)).toContain(expected);
  });

  it('reads YAML, resolving analysis files relative to the scenario file', () => {
    const dir = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
    const text = [
      'name: demo',
      'rig: opus',
      'tracks:',
      '  - { id: 184, bpm: 128, beats: 368, firstBeatMs: 25, anlz: PIONEER/USBANLZ/P016/0000875E/ANLZ0000.EXT }',
      'steps:',
      '  - { at: 0, do: load, deck: 1, track: 184 }',
    ].join('\n');
    const scenario = scenarioFromText(text, `${dir}/set.yaml`);
    if (scenario instanceof ScenarioError) throw new Error(scenario.message);
    expect(scenario.tracks[0]?.anlz).toBe(fixturePath(...ANLZ.demo1Export));
    const tracks = tracksOf(scenario, readFileFromDisk);
    if (tracks instanceof ScenarioError) throw new Error(tracks.message);
    expect(tracks.get(184)?.pssi?.length).toBe(488);
    expect(scenarioFromText('name: [', `${dir}/bad.yaml`)).toBeInstanceOf(ScenarioError);
    expect(findScenario('/nonexistent/set.json')).toMatchObject({ code: 'unreadable' });
  });

  it('explains analysis files it cannot use', () => {
    const withTrack = (anlz: string): Scenario => {
      const scenario = parseScenario({ ...base, tracks: [{ id: 1, bpm: 120, beats: 10, anlz }] }, 't');
      if (scenario instanceof ScenarioError) throw new Error(scenario.message);
      return scenario;
    };
    const missing = tracksOf(withTrack('/nonexistent/ANLZ0000.EXT'), readFileFromDisk);
    expect(missing).toMatchObject({ code: 'unreadable' });
    expect((missing as ScenarioError).message).toContain('/nonexistent/ANLZ0000.EXT');
    const dat = tracksOf(withTrack(fixturePath(...ANLZ.demo1Dat)), readFileFromDisk);
    expect((dat as ScenarioError).message).toContain('has no PSSI');
  });

  it('repeats from the top, moving the time base to the repeat step', async () => {
    const clock = new VirtualClock(0);
    const lan = new VirtualLan({ clock });
    const scenario = parseScenario({ ...base, steps: [...base.steps, { at: 500, do: 'play', deck: 1 }, { at: 2000, do: 'repeat' }] }, 'r');
    if (scenario instanceof ScenarioError) throw new Error(scenario.message);
    const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock });
    if (!('truth' in sim)) throw new Error(sim.message);
    clock.advance(6100);
    const at = (code: string): number[] => sim.truth.events.filter((e) => e.code === code).map((e) => e.at);
    expect(at('track-load')).toEqual([0, 2000, 4000, 6000]);
    expect(at('play')).toEqual([500, 2500, 4500]);
    expect(at('scenario')).toEqual([2000, 4000, 6000]);
    expect(sim.runner.pass).toBe(4);
    await sim.stop();
  });
});
