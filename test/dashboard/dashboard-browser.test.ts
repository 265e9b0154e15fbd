/**
 * The dashboard in a real browser (Debian's chromium driven by
 * playwright-core) on a bridge running the built-in simulator ("club", an
 * OPUS-QUAD). What the page shows is checked against the simulator's own
 * truth: the decks' tracks, the phrase each deck is in (show-truth.ts), the
 * beats. The mapping sends to an OSC TCP target on a closed 127.0.0.1 port,
 * and a broken version of it is saved mid-show. Screenshots at phone and
 * laptop sizes go to /tmp/dashboard-shots/.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import { openSimLink, type SimLink } from '../../src/app/sim-link';
import { monotonicScheduler } from '../../src/app/link';
import { createLogger } from '../../src/log/logger';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/start-dashboard';
import { showTruth, type TruthPhrase } from '../../src/prolink/sim/show-truth';
import { syntheticSongStructure } from '../../src/prolink/sim/tracks/synthetic-phrases';
import { BUILTIN_SCENARIOS } from '../../src/prolink/sim/scenario-builtins';
import { phraseName } from '../../src/prolink/phrases/phrase-names';
import { moodFromRaw } from '../../src/prolink/phrases/song-structure';
import { loadMappingPaths } from '../../src/mapping/load-mapping';
import { compileMapping } from '../../src/mapping/compile-mapping';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/dashboard-shots';
const club = BUILTIN_SCENARIOS.get('club');
if (club === undefined) throw new Error('the club scenario is missing');

/** A 127.0.0.1 port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function mappingText(port: number): string {
  return `targets:
  lights: { osc: { host: 127.0.0.1, port: ${port}, protocol: tcp } }
rules:
  - { name: pulse on every beat, on: beat, send: [{ osc: { to: lights, address: /beat, args: [{ int: "{{ event.beatInBar }}" }] } }] }
  - { name: phrase colour, on: phrase.start, send: [{ osc: { to: lights, address: "/phrase/{{ phrase.family }}" } }] }
`;
}

/** The same mapping with one more rule, on line 6, sending to a target that does not exist. */
function brokenText(port: number): string {
  return `${mappingText(port)}  - { name: typo, on: beat, send: [{ osc: { to: lihgts, address: /oops } }] }
`;
}

/** The label the simulator's generated structure gives the phrase starting at `startBeat` of `trackId`. */
function truthLabel(trackId: number, startBeat: number): string {
  const spec = club?.tracks.find((t) => t.id === trackId);
  if (spec === undefined) throw new Error(`no track ${trackId} in the scenario`);
  const s = syntheticSongStructure(spec.id, spec.beats);
  const p = s.phrases.find((x) => x.beat === startBeat);
  if (p === undefined) throw new Error(`no phrase at beat ${startBeat} of track ${trackId}`);
  return phraseName(moodFromRaw(s.moodRaw), p.kindRaw, p.k1 ?? 0, p.k2 ?? 0, p.k3 ?? 0).label;
}

/** Polls `check` until it holds (the page's CSP rightly refuses evaluated strings, so the checks run here). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the page did not show it in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The distinct left edges of the deck cards: the number of columns they are laid out in. */
async function deckColumns(page: Page): Promise<number> {
  const boxes = await Promise.all((await page.locator('.deck').all()).map((d) => d.boundingBox()));
  return new Set(boxes.map((b) => Math.round(b?.x ?? -1))).size;
}

const deckText = (page: Page, deck: number, selector: string): Promise<string> => page.locator(`.deck[data-deck="${deck}"] ${selector}`).innerText();

describe('the dashboard in a browser, on the simulator', () => {
  let dir = '';
  let sim: SimLink | null = null;
  let bridge: RunningBridge | null = null;
  let dashboard: RunningDashboard | null = null;
  let browser: Browser | null = null;
  let page: Page | null = null;
  let refusedPort = 0;
  let url = '';

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
    refusedPort = await closedPort();
    fs.writeFileSync(path.join(dir, 'show.yaml'), mappingText(refusedPort));
    const link = await openSimLink('club');
    if (typeof link === 'string') throw new Error(link);
    sim = link;
    const started = await startBridge({
      link: link.link,
      mode: 'auto',
      mappingPaths: [dir],
      watchMappings: true,
      logger: createLogger({ level: 'silent', destination: fs.createWriteStream('/dev/null') }),
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    });
    if (!started.ok) throw new Error(started.message);
    bridge = started.bridge;
    const running = await startDashboard(bridge, 'simulator "club"', { port: 0, host: '127.0.0.1', token: null }, monotonicScheduler, { info: () => undefined, warn: () => undefined });
    if (typeof running === 'string') throw new Error(running);
    dashboard = running;
    url = running.urls[0] ?? '';
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await bridge?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const thePage = (): Page => {
    if (page === null) throw new Error('no page');
    return page;
  };

  it('shows one card per deck with the tracks the simulated OPUS-QUAD has loaded', async () => {
    const p = thePage();
    await eventually(async () => (await p.locator('.deck').count()) === 4 && (await deckText(p, 4, '.title')) === 'Track 504', 15_000);
    const now = performance.now();
    for (const deck of [1, 2, 3, 4]) {
      const truth = sim?.simulator.truth.deck(deck)?.stateAt(now).track?.id ?? null;
      const shown = await p.locator(`.deck[data-deck="${deck}"] .title`).getAttribute('data-track-id');
      expect({ deck, track: shown === '' ? null : Number(shown) }).toEqual({ deck, track: truth });
    }
    expect(await deckText(p, 1, '.title')).toBe('Track 501');
    expect(await deckText(p, 3, '.title')).toBe('No track');
    expect(await p.locator('.deck').count()).toBe(4);
    // The snapshot keeps a title and an artist for the library to fill; without one the page says so.
    expect(await deckText(p, 1, '.artist')).toBe('title not known');
  });

  it('pulses the beat-in-bar dots with the master deck\'s beats, marked as estimated (OPUS)', async () => {
    const p = thePage();
    await p.waitForSelector('.deck[data-deck="1"].playing', { timeout: 15_000 });
    const seen = new Set<string>();
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline) {
      seen.add((await p.locator('.deck[data-deck="1"] .beat-dots').getAttribute('data-beat-in-bar')) ?? '');
      await p.waitForTimeout(60);
    }
    // At 124 BPM four seconds hold eight beats: every position in the bar is shown.
    expect([...seen].filter((s) => s !== '').sort()).toEqual(['1', '2', '3', '4']);
    expect(await p.locator('.deck[data-deck="1"] .beat-dot.on').count()).toBe(1);
    expect(await p.locator('.deck[data-deck="1"] .beat-dots.estimated').count()).toBe(1);
  });

  it('lists a rule that fired, with its event, target and message, and filters the list by text', async () => {
    const p = thePage();
    const row = p.locator('.fired-row[data-rule="pulse on every beat"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('.event').innerText()).toMatch(/^beat deck 1 #\d+ \([1-4]\/4\)$/);
    expect(await row.locator('.sent-line').first().innerText()).toMatch(/^lights \/beat int:[1-4]$/);
    await p.fill('#fired-filter', 'no such rule');
    await eventually(async () => (await p.locator('.fired-row').count()) === 0);
    expect(await p.locator('#fired-empty').innerText()).toBe('No fired rule matches the filter.');
    await p.fill('#fired-filter', 'PULSE');
    await row.waitFor();
    await p.fill('#fired-filter', '');
  });

  it('shows the OSC TCP target on a closed port as refused, with the refusals counted', async () => {
    const p = thePage();
    const row = p.locator('.target-row[data-target="lights"]');
    await eventually(async () => (await row.locator('.pill').count()) === 1 && (await row.locator('.pill').textContent()) === 'refused');
    expect(await row.locator('.kind').innerText()).toBe('osc-tcp');
    // It stays refused while the bridge retries and drops what it cannot send.
    for (let i = 0; i < 15; i++) {
      expect(await row.locator('.pill').textContent()).toBe('refused');
      await p.waitForTimeout(150);
    }
    const refused = Number(await row.locator('td:nth-child(4)').innerText());
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(bridge?.router.targetStatuses()).toEqual([expect.objectContaining({ name: 'lights', kind: 'osc-tcp', state: expect.stringMatching(/^(connecting|disconnected)$/) })]);
  });

  it('shows the phrase each deck is in, changing when the simulator\'s truth says it changes', async () => {
    const p = thePage();
    const truth = sim?.simulator.truth;
    if (truth === undefined || club === undefined) throw new Error('no simulator');
    const from = performance.now();
    // The page's label for deck 1, sampled on the simulator's clock, until the truth's next phrase change of deck 1
    // (it plays from 1 s on; its phrases are 32 beats, about 15 s, long) is 1.5 s behind.
    const samples: { at: number; label: string }[] = [];
    let change: TruthPhrase | null = null;
    const deadline = from + 25_000;
    while (performance.now() < deadline && (change === null || performance.now() < change.at + 1500)) {
      samples.push({ at: performance.now(), label: await deckText(p, 1, '.phrase-current') });
      if (change === null) {
        const events = showTruth({ scenario: club, decks: truth.rig.decks, log: truth.events, from, to: performance.now() });
        change = (events.find((e) => e.type === 'phrase.start' && e.deck === 1 && e.cause === 'flow') as TruthPhrase | undefined) ?? null;
      }
      await p.waitForTimeout(40);
    }
    const c = change as TruthPhrase | null;
    if (c === null) throw new Error('the simulator made no phrase change on deck 1 in 25 s');
    const spec = club.tracks.find((t) => t.id === c.trackId);
    const structure = syntheticSongStructure(c.trackId, spec?.beats ?? 0);
    const previous = [...structure.phrases].reverse().find((x) => x.beat < c.startBeat);
    if (previous === undefined) throw new Error('the change has no phrase before it');
    const was = truthLabel(c.trackId, previous.beat);
    const is = truthLabel(c.trackId, c.startBeat);
    expect(was).not.toBe(is);
    // Up to half a second before the change the page shows the phrase the deck is leaving; from a second after it, the new one.
    const before = samples.filter((s) => s.at < c.at - 500);
    const after = samples.filter((s) => s.at > c.at + 1000);
    expect(before.length).toBeGreaterThan(3);
    expect(after.length).toBeGreaterThan(3);
    expect(new Set(before.slice(-5).map((s) => s.label))).toEqual(new Set([was]));
    expect(new Set(after.map((s) => s.label))).toEqual(new Set([is]));
    // The timeline shows the structure, with the current block marked and the next phrase counted down.
    expect(await p.locator('.deck[data-deck="1"] .block').count()).toBe(structure.phrases.length);
    expect(await p.locator('.deck[data-deck="1"] .block.current').getAttribute('data-start-beat')).toBe(String(c.startBeat));
    expect(await deckText(p, 1, '.phrase-next')).toMatch(/^next \S.* in (\d+[¼½¾]? bars?|\d beats?)$/);
  }, 40_000);

  it('shows a broken mapping saved mid-show with its file, line and column, while the previous one runs on', async () => {
    const p = thePage();
    const file = path.join(dir, 'show.yaml');
    fs.writeFileSync(file, brokenText(refusedPort));
    // The position the project's own checker gives, and where "lihgts" stands in the text.
    const loaded = await loadMappingPaths([file]);
    const checked = loaded.ok ? compileMapping(loaded.mapping) : loaded;
    const first = checked.ok ? undefined : checked.errors[0];
    if (first === undefined) throw new Error('the broken mapping has no error');
    expect({ line: first.line, column: first.column }).toEqual({ line: 6, column: (brokenText(refusedPort).split('\n')[5] ?? '').indexOf('lihgts') + 1 });
    const where = `show.yaml:${first.line}:${first.column}`;
    const box = p.locator('#mapping-error');
    await box.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await box.locator('.where').first().innerText()).toBe(where);
    expect(await box.innerText()).toContain('lihgts');
    expect(await box.locator('.mapping-error-head').innerText()).toMatch(/^the last save was refused \d+ s ago: the previous mapping keeps running$/);
    // The running mapping is still the good one.
    expect(await p.locator('#mapping-state .mapping-line').innerText()).toBe('2 rules · 1 target');
  }, 30_000);

  it('saves screenshots at phone and laptop sizes', async () => {
    const p = thePage();
    await p.waitForTimeout(500);
    await p.screenshot({ path: path.join(SHOTS, 'laptop-1440x900.png') });
    if (browser === null) throw new Error('no browser');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto(url);
    await eventually(async () => (await phone.locator('.deck').count()) === 4);
    await phone.waitForTimeout(1500);
    await phone.screenshot({ path: path.join(SHOTS, 'phone-390x844.png') });
    await phone.screenshot({ path: path.join(SHOTS, 'phone-390x844-full.png'), fullPage: true });
    // Phone: the cards stack (one column); laptop: four side by side.
    const phoneColumns = await deckColumns(phone);
    const laptopColumns = await deckColumns(p);
    expect({ phoneColumns, laptopColumns }).toEqual({ phoneColumns: 1, laptopColumns: 4 });
    await phone.close();
    for (const name of ['laptop-1440x900.png', 'phone-390x844.png']) expect(fs.statSync(path.join(SHOTS, name)).size).toBeGreaterThan(10_000);
  });
});
