// @ts-check
/**
 * The dashboard page: connects to the feed (/feed, with the page's token),
 * keeps the latest snapshot and each deck's phrases, and draws them. It
 * sends nothing but a "ping" now and then; it reconnects on its own.
 */
import { DeckCardView } from './deck-card.js';
import { byId, renderFired, renderMapping, renderNetwork, renderTargets } from './panels.js';

/** @typedef {import('../feed-protocol').FeedMessage} FeedMessage */
/** @typedef {import('../feed-protocol').Snapshot} Snapshot */
/** @typedef {import('../feed-protocol').PhrasesMessage} PhrasesMessage */

/** No message for this long: the feed shows as stale (the server sends at least every 2 s). */
const STALE_MS = 4000;
const PING_MS = 20_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

const token = new URLSearchParams(location.search).get('token');
const tokenQuery = token === null ? '' : `?token=${encodeURIComponent(token)}`;

/** @type {Map<number, DeckCardView>} */
const cards = new Map();
/** @type {Map<number, PhrasesMessage>} */
const phrases = new Map();
/** @type {Snapshot | null} */
let snapshot = null;
let receivedAt = 0;
let lastMessageAt = 0;
let retryMs = RETRY_MIN_MS;
let connected = false;
let firedFilter = '';

/**
 * @param {'connecting' | 'live' | 'stale' | 'closed'} state
 * @param {string} text
 */
function showFeed(state, text) {
  const feed = byId('feed');
  if (feed.dataset['state'] === state && byId('feed-text').textContent === text) return;
  feed.dataset['state'] = state;
  byId('feed-text').textContent = text;
}

/** @param {number} deck */
function cardFor(deck) {
  let card = cards.get(deck);
  if (card === undefined) {
    card = new DeckCardView(deck, tokenQuery);
    cards.set(deck, card);
    const container = byId('decks');
    const after = [...cards.keys()].filter((d) => d > deck).sort((a, b) => a - b)[0];
    const before = after === undefined ? null : (cards.get(after)?.root ?? null);
    container.insertBefore(card.root, before !== null && before.parentNode === container ? before : null);
  }
  return card;
}

/** @param {Snapshot} s */
function draw(s) {
  byId('no-decks').hidden = s.decks.length > 0;
  for (const d of s.decks) {
    const known = phrases.get(d.deck);
    const structure = known !== undefined && d.structureTrackId !== null && known.trackId === d.structureTrackId ? known : null;
    cardFor(d.deck).update(d, structure, s.now, receivedAt);
  }
  byId('master-deck').textContent = s.master === null ? '–' : `deck ${s.master.deck}`;
  byId('master-bpm').textContent = s.master === null || s.master.bpm === null ? '' : `${s.master.bpm.toFixed(1)} BPM`;
  byId('source').textContent = s.network.source;
  renderFired(s.fired, firedFilter);
  renderTargets(s.targets);
  renderMapping(s.mapping, s.now);
  renderNetwork(s.network);
}

/** @param {string} text */
function receive(text) {
  /** @type {FeedMessage} */
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  lastMessageAt = performance.now();
  if (message.t === 'snapshot') {
    snapshot = message;
    receivedAt = lastMessageAt;
    draw(message);
  } else if (message.t === 'phrases') {
    phrases.set(message.deck, message);
    if (snapshot !== null) draw(snapshot);
  } else if (message.t === 'beat') {
    cards.get(message.deck)?.beat(message);
  }
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/feed${tokenQuery}`);
  showFeed('connecting', connected ? 'reconnecting' : 'connecting');
  const ping = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.send('ping');
  }, PING_MS);
  socket.addEventListener('open', () => {
    connected = true;
    retryMs = RETRY_MIN_MS;
    lastMessageAt = performance.now();
    showFeed('live', 'live');
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') receive(event.data);
  });
  socket.addEventListener('close', (event) => {
    clearInterval(ping);
    const why = event.code === 1008 ? 'refused' : 'reconnecting';
    showFeed('closed', why === 'refused' ? 'refused by the bridge' : 'no connection: retrying');
    setTimeout(connect, retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  });
}

/** @param {number} now */
function frame(now) {
  for (const card of cards.values()) card.frame(now);
  const feed = byId('feed');
  if (feed.dataset['state'] === 'live' && now - lastMessageAt > STALE_MS) showFeed('stale', 'no data');
  else if (feed.dataset['state'] === 'stale' && now - lastMessageAt <= STALE_MS) showFeed('live', 'live');
  requestAnimationFrame(frame);
}

const filterInput = /** @type {HTMLInputElement} */ (byId('fired-filter'));
filterInput.addEventListener('input', () => {
  firedFilter = filterInput.value;
  if (snapshot !== null) renderFired(snapshot.fired, firedFilter);
});

connect();
requestAnimationFrame(frame);
