// @ts-check
/**
 * One deck's card: art, track, state, tempo, badges, the beat-in-bar dots
 * and the phrase timeline. Built once per deck, then updated in place.
 */
import { PhraseTimeline, barsText, beatPosition, familyClass, phraseAround } from './phrase-timeline.js';

/** @typedef {import('../feed-protocol').DeckCard} DeckCard */
/** @typedef {import('../feed-protocol').PhrasesMessage} PhrasesMessage */
/** @typedef {import('../feed-protocol').BeatMessage} BeatMessage */

/**
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {number | null} n
 * @param {number} digits
 * @returns {string}
 */
function fixed(n, digits) {
  return n === null ? '–' : n.toFixed(digits);
}

/**
 * @param {number} percent
 * @returns {string}
 */
function pitchText(percent) {
  const rounded = Math.round(percent * 100) / 100;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(2)} %`;
}

/** How the deck's play state reads on the card. */
/**
 * @param {DeckCard} card
 * @returns {string}
 */
function stateText(card) {
  if (card.trackId === null) return 'empty';
  return card.playState.replace(/-/g, ' ');
}

export class DeckCardView {
  /**
   * @param {number} deck
   * @param {string} tokenQuery '' or '?token=…'
   */
  constructor(deck, tokenQuery) {
    this.tokenQuery = tokenQuery;
    this.root = el('article', 'deck');
    this.root.dataset['deck'] = String(deck);
    const head = el('div', 'deck-head');
    this.art = /** @type {HTMLImageElement} */ (el('img', 'art'));
    this.art.alt = '';
    this.art.hidden = true;
    this.art.addEventListener('error', () => {
      this.art.hidden = true;
      this.artHolder.hidden = false;
    });
    this.art.addEventListener('load', () => {
      this.art.hidden = false;
      this.artHolder.hidden = true;
    });
    this.artHolder = el('div', 'art art-placeholder', String(deck));
    const ident = el('div', 'ident');
    const top = el('div', 'ident-top');
    top.append(el('span', 'deck-number', `DECK ${deck}`));
    this.badges = el('span', 'badges');
    this.masterBadge = el('span', 'badge badge-master', 'MASTER');
    this.onAirBadge = el('span', 'badge badge-onair', 'ON AIR');
    this.syncBadge = el('span', 'badge badge-sync', 'SYNC');
    this.badges.append(this.masterBadge, this.onAirBadge, this.syncBadge);
    top.append(this.badges);
    this.title = el('div', 'title');
    this.artist = el('div', 'artist');
    this.trackId = el('span', 'track-id');
    ident.append(top, this.title, this.artist);
    this.state = el('div', 'state');
    head.append(this.art, this.artHolder, ident, this.state);

    const tempo = el('div', 'tempo');
    this.bpm = el('span', 'bpm-effective');
    const detail = el('span', 'bpm-detail');
    this.trackBpm = el('span', 'bpm-track');
    this.pitch = el('span', 'pitch');
    detail.append(this.trackBpm, this.pitch);
    this.dots = el('div', 'beat-dots');
    this.dots.setAttribute('aria-label', 'beat in bar');
    /** @type {HTMLElement[]} */
    this.dotList = [1, 2, 3, 4].map((n) => {
      const dot = el('span', 'beat-dot');
      dot.dataset['n'] = String(n);
      this.dots.append(dot);
      return dot;
    });
    this.barBeat = el('span', 'bar-beat');
    const beatRow = el('div', 'beat-row');
    beatRow.append(this.dots, this.barBeat);
    tempo.append(this.bpm, detail, beatRow);

    const phrase = el('div', 'phrase-now');
    this.phraseLabel = el('span', 'phrase-current');
    this.phraseNext = el('span', 'phrase-next');
    phrase.append(this.phraseLabel, this.phraseNext);
    const timelineRoot = el('div', 'timeline');
    this.timeline = new PhraseTimeline(timelineRoot);
    this.root.append(head, tempo, phrase, timelineRoot);

    /** @type {DeckCard | null} */
    this.card = null;
    this.serverNow = 0;
    this.receivedAt = 0;
    /** @type {string | null} */
    this.artSrc = null;
    this.shownBeatInBar = /** @type {number | null} */ (null);
  }

  /**
   * @param {DeckCard} card
   * @param {PhrasesMessage | null} phrases the structure of the loaded track, when the page has it
   * @param {number} serverNow
   * @param {number} receivedAt
   */
  update(card, phrases, serverNow, receivedAt) {
    this.card = card;
    this.serverNow = serverNow;
    this.receivedAt = receivedAt;
    this.root.classList.toggle('playing', card.playing);
    this.root.classList.toggle('is-master', card.master);
    this.root.classList.toggle('on-air', card.onAir);
    this.root.classList.toggle('empty-deck', card.trackId === null);
    this.masterBadge.hidden = !card.master;
    this.onAirBadge.hidden = !card.onAir;
    this.syncBadge.hidden = !card.sync;
    this.title.textContent = card.title ?? (card.trackId === null ? 'No track' : `Track ${card.trackId}`);
    this.title.dataset['trackId'] = card.trackId === null ? '' : String(card.trackId);
    this.artist.textContent = card.artist ?? (card.trackId === null ? '' : 'title not known');
    this.artist.classList.toggle('unknown', card.artist === null);
    this.state.textContent = stateText(card);
    this.state.dataset['state'] = card.playing ? 'playing' : card.trackId === null ? 'empty' : 'stopped';
    this.bpm.textContent = fixed(card.effectiveBpm, 1);
    this.trackBpm.textContent = card.bpm === null ? 'BPM –' : `track ${card.bpm.toFixed(1)}`;
    this.pitch.textContent = pitchText(card.pitchPercent);
    this.dots.classList.toggle('estimated', card.estimated === true);
    this.dots.title = card.estimated === true ? 'beats estimated from status packets' : card.estimated === false ? 'beats from beat packets' : '';
    if (this.card.beatInBar !== this.shownBeatInBar) this.showBeat(card.beatInBar, false);
    this.barBeat.textContent = card.bar === null ? '' : `bar ${card.bar} · beat ${card.beat ?? '–'}`;
    const src = card.art === null ? null : `${card.art}${this.tokenQuery}`;
    if (src !== this.artSrc) {
      this.artSrc = src;
      if (src === null) {
        this.art.hidden = true;
        this.art.removeAttribute('src');
        this.artHolder.hidden = false;
      } else {
        this.art.src = src;
      }
    }
    this.timeline.setPhrases(phrases);
  }

  /**
   * A beat from the feed: the dots show it at once, with a pulse.
   * @param {BeatMessage} beat
   */
  beat(beat) {
    this.dots.classList.toggle('estimated', beat.estimated);
    this.showBeat(beat.beatInBar, true);
  }

  /**
   * @param {number | null} beatInBar
   * @param {boolean} pulse
   */
  showBeat(beatInBar, pulse) {
    this.shownBeatInBar = beatInBar;
    this.dots.dataset['beatInBar'] = beatInBar === null ? '' : String(beatInBar);
    this.dotList.forEach((dot, i) => {
      const on = beatInBar === i + 1;
      dot.classList.toggle('on', on);
      if (on && pulse) {
        dot.classList.remove('pulse');
        void dot.offsetWidth; // restarts the animation
        dot.classList.add('pulse');
      }
    });
  }

  /**
   * Moves the playhead and the phrase text on, between snapshots.
   * @param {number} pageNow
   */
  frame(pageNow) {
    const card = this.card;
    if (card === null) return;
    const position = beatPosition(card, this.serverNow, this.receivedAt, pageNow);
    this.timeline.moveTo(position);
    const phrases = this.timeline.message;
    const around = phrases === null || position === null ? null : phraseAround(phrases.phrases, position);
    const current = around?.current ?? null;
    const known = current ?? (phrases === null ? card.phrase : null);
    const label = known?.label ?? (card.trackId === null ? '' : phrases === null ? 'no phrase data' : '');
    if (this.phraseLabel.textContent !== label) this.phraseLabel.textContent = label;
    const family = current !== null ? current.family : known === null ? 'none' : known.kind.replace(/\d+[a-z]?$/, '');
    const cls = `phrase-current ${familyClass(family)}${known === null ? ' phrase-none' : ''}`;
    if (this.phraseLabel.className !== cls) this.phraseLabel.className = cls;
    const next = around?.next ?? null;
    const beats = around?.beatsToNext ?? null;
    const text = next === null || beats === null ? '' : current === null && !card.playing ? `cued before ${next.label}` : `next ${next.label} in ${barsText(beats)}`;
    if (this.phraseNext.textContent !== text) this.phraseNext.textContent = text;
  }
}
