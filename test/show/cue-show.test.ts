/**
 * The `cue` event against the simulator's truth, in virtual time: Demo Track
 * 1 and 2 of a real USB export (fixture) on an OPUS-QUAD, with cues the
 * scenario adds, played across, jumped over, looped over and jumped onto. The
 * bridge gets the export as its library (with the same cues) and must find
 * the tracks by their phrase data, since the OPUS reports other IDs.
 */
import { quantile } from './score';
import { scoreCase, scoreTable, type CaseResult } from './score-case';
import { SHOW_CASES } from './scenarios';

describe('cue events on a real export played by the simulated OPUS-QUAD', () => {
  let result: CaseResult;
  beforeAll(async () => {
    const show = SHOW_CASES.find((c) => c.name === 'cues');
    if (show === undefined) throw new Error('no cues show');
    result = await scoreCase(show, 1);
    process.stdout.write(`${scoreTable([result])}\n`);
  }, 60_000);

  it('knows the truth: cues crossed, every loop pass, none for the cue jumped over, the jump onto one', () => {
    const cues = result.run.truth.filter((t) => t.type === 'cue');
    const names = cues.map((t) => (t.type === 'cue' ? t.name : ''));
    expect(names.filter((n) => n === 'SKIPPED')).toEqual([]);
    expect(names.filter((n) => n === 'IN-LOOP').length).toBe(5);
    expect(names.filter((n) => n === 'LOOP').length).toBe(5);
    for (const once of ['BUILD', 'DROP', 'HALF', 'JUMP', 'AFTER-PAUSE', 'MIX']) expect({ once, n: names.filter((n) => n === once).length }).toEqual({ once, n: 1 });
    const jump = cues.find((t) => t.type === 'cue' && t.name === 'JUMP');
    expect(jump?.type === 'cue' && jump.cause).toBe('action');
  });

  it('fires each cue exactly once, none for nothing, late ones flagged', () => {
    const cue = result.score.types.get('cue');
    const problems = result.score.problems.filter((p) => p.includes('cue'));
    expect({ missing: cue?.missing, extra: cue?.extra, duplicates: cue?.duplicates, unflaggedLate: cue?.unflaggedLate, problems }).toEqual({ missing: 0, extra: 0, duplicates: 0, unflaggedLate: 0, problems: [] });
    expect(cue?.matched).toBe(cue?.truth);
    expect(cue?.truth).toBe(16);
  });

  it('fires cues reached by playing on within 15 ms of their instant (p95), those landed on within a status period', () => {
    const errors = (result.score.types.get('cue')?.errors ?? []).map(Math.abs);
    const p50 = quantile(errors, 0.5);
    const p95 = quantile(errors, 0.95);
    process.stdout.write(`cue |error| p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...errors).toFixed(1)} ms over ${errors.length}\n`);
    expect(p50).toBeLessThanOrEqual(15);
    expect(Math.max(...errors)).toBeLessThanOrEqual(400);
  });

  it('matches the tracks by their phrase data: track.load carries the export track', () => {
    const loads = result.run.observed.filter((o) => o.event.type === 'track.load');
    const titles = loads.map((o) => (o.event.type === 'track.load' ? o.event.track?.title : null));
    expect(titles).toEqual(expect.arrayContaining(['Demo Track 1', 'Demo Track 2']));
    for (const o of loads) if (o.event.type === 'track.load') expect(o.event.track?.match).toBe('phrase-fingerprint');
  });
});
