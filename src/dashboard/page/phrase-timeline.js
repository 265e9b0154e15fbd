// @ts-check
/**
 * A deck's phrase timeline: the song's phrases as coloured blocks, fills
 * hatched, and a playhead that moves on between snapshots from the last beat,
 * its time and the effective BPM.
 */

/** @typedef {import('../feed-protocol').PhraseBlock} PhraseBlock */
/** @typedef {import('../feed-protocol').PhrasesMessage} PhrasesMessage */
/** @typedef {import('../feed-protocol').DeckCard} DeckCard */

/** The playhead runs on at most this many beats past the last one reported (a stalled feed does not run away). */
const MAX_COAST_BEATS = 2;
const BEATS_PER_BAR = 4;
const KNOWN_FAMILIES = new Set(['intro', 'verse', 'chorus', 'up', 'down', 'bridge', 'outro']);

/**
 * Where the deck is now, in beats (beat n spans n to n + 1).
 * @param {DeckCard} card
 * @param {number} serverNow the snapshot's `now`
 * @param {number} receivedAt page time (ms) the snapshot arrived
 * @param {number} pageNow page time (ms) now
 * @returns {number | null}
 */
export function beatPosition(card, serverNow, receivedAt, pageNow) {
  if (card.beat === null) return null;
  if (!card.playing || card.beatAt === null || card.effectiveBpm === null || !(card.effectiveBpm > 0)) return card.beat;
  const elapsed = Math.max(0, serverNow - card.beatAt + (pageNow - receivedAt));
  return card.beat + Math.min(MAX_COAST_BEATS, (elapsed * card.effectiveBpm) / 60000);
}

/**
 * The phrase at a position, the one after it and the beats until it starts.
 * @param {readonly PhraseBlock[]} phrases
 * @param {number} position
 * @returns {{ current: PhraseBlock | null, next: PhraseBlock | null, beatsToNext: number | null }}
 */
export function phraseAround(phrases, position) {
  const beat = Math.floor(position);
  const current = phrases.find((p) => p.startBeat <= beat && beat < p.endBeat) ?? null;
  const next = phrases.find((p) => p.startBeat > beat) ?? null;
  return { current, next, beatsToNext: next === null ? null : next.startBeat - beat };
}

/**
 * "3 bars", "2¾ bars", "1 beat": the beats until the next phrase, counted as a lighting desk counts them.
 * @param {number} beats
 * @returns {string}
 */
export function barsText(beats) {
  if (beats < BEATS_PER_BAR) return beats === 1 ? '1 beat' : `${beats} beats`;
  const whole = Math.floor(beats / BEATS_PER_BAR);
  const part = ['', '¼', '½', '¾'][beats % BEATS_PER_BAR] ?? '';
  return `${whole}${part} ${whole === 1 && part === '' ? 'bar' : 'bars'}`;
}

/**
 * @param {string} family
 * @returns {string}
 */
export function familyClass(family) {
  return `phrase-${KNOWN_FAMILIES.has(family) ? family : 'unknown'}`;
}

/**
 * A label short enough for a narrow block: 'Chorus' → 'C', 'Verse 2' → 'V2'.
 * @param {string} label
 * @returns {string}
 */
export function shortLabel(label) {
  const m = /^(\w)\w*\s*(\d*)/.exec(label);
  return m === null ? label.slice(0, 2) : `${m[1] ?? ''}${m[2] ?? ''}`;
}

export class PhraseTimeline {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @type {PhrasesMessage | null} */
    this.message = null;
    this.strip = document.createElement('div');
    this.strip.className = 'timeline-strip';
    this.playhead = document.createElement('div');
    this.playhead.className = 'playhead';
    this.root.append(this.strip);
    this.strip.append(this.playhead);
    /** @type {HTMLElement[]} */
    this.blocks = [];
    this.first = 1;
    this.end = 1;
    /** @type {number | null} */
    this.currentStart = null;
  }

  /** @param {PhrasesMessage | null} message */
  setPhrases(message) {
    if (message === this.message) return;
    this.message = message;
    for (const b of this.blocks) b.remove();
    this.blocks = [];
    this.currentStart = null;
    this.root.classList.toggle('no-phrases', message === null || message.phrases.length === 0);
    if (message === null || message.phrases.length === 0) return;
    this.first = message.phrases[0]?.startBeat ?? 1;
    this.end = Math.max(message.endBeat, this.first + 1);
    const span = this.end - this.first;
    for (const p of message.phrases) {
      const block = document.createElement('div');
      block.className = `block ${familyClass(p.family)}`;
      block.style.left = `${((p.startBeat - this.first) / span) * 100}%`;
      block.style.width = `${((p.endBeat - p.startBeat) / span) * 100}%`;
      block.title = `${p.label}: beats ${p.startBeat}–${p.endBeat - 1} (${(p.endBeat - p.startBeat) / BEATS_PER_BAR} bars)${p.fillBeat === null ? '' : `, fill from beat ${p.fillBeat}`}`;
      block.dataset['startBeat'] = String(p.startBeat);
      // Both labels; the block's own width chooses (a CSS container query).
      const label = document.createElement('span');
      label.className = 'block-label';
      const full = document.createElement('span');
      full.className = 'full';
      full.textContent = p.label;
      const short = document.createElement('span');
      short.className = 'short';
      short.textContent = shortLabel(p.label);
      label.append(full, short);
      block.append(label);
      if (p.fillBeat !== null) {
        const fill = document.createElement('div');
        fill.className = 'fill';
        fill.style.left = `${((p.fillBeat - p.startBeat) / (p.endBeat - p.startBeat)) * 100}%`;
        fill.title = 'fill-in';
        block.append(fill);
      }
      this.strip.insertBefore(block, this.playhead);
      this.blocks.push(block);
    }
  }

  /** @param {number | null} position */
  moveTo(position) {
    if (position === null || this.message === null || this.blocks.length === 0) {
      this.playhead.hidden = true;
      return;
    }
    this.playhead.hidden = false;
    const x = Math.min(1, Math.max(0, (position - this.first) / (this.end - this.first)));
    this.playhead.style.left = `${(x * 100).toFixed(3)}%`;
    const { current } = phraseAround(this.message.phrases, position);
    const start = current === null ? null : current.startBeat;
    if (start === this.currentStart) return;
    this.currentStart = start;
    for (const block of this.blocks) block.classList.toggle('current', Number(block.dataset['startBeat']) === start);
  }
}
