// @ts-check
/**
 * The panels under the decks: fired rules (filterable), target health, the
 * mapping's state and the network. Each is redrawn from a snapshot.
 */
import { el } from './deck-card.js';

/** @typedef {import('../feed-protocol').Snapshot} Snapshot */
/** @typedef {import('../feed-protocol').FiredRow} FiredRow */
/** @typedef {import('../feed-protocol').TargetRow} TargetRow */
/** @typedef {import('../feed-protocol').MappingView} MappingView */
/** @typedef {import('../feed-protocol').NetworkView} NetworkView */

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}

/**
 * @param {number} ms
 * @returns {string}
 */
export function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.floor(m / 60)} h ${m % 60} min ago`;
}

/**
 * @param {string} file
 * @returns {string}
 */
function baseName(file) {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * @param {FiredRow} row
 * @param {string} filter lower-case
 * @returns {boolean}
 */
export function firedMatches(row, filter) {
  if (filter === '') return true;
  return [row.rule, row.event, ...row.sent].some((text) => text.toLowerCase().includes(filter));
}

/**
 * @param {readonly FiredRow[]} rows newest first
 * @param {string} filter
 */
export function renderFired(rows, filter) {
  const body = byId('fired-rows');
  const wanted = filter.trim().toLowerCase();
  const shown = rows.filter((r) => firedMatches(r, wanted));
  const lines = shown.map((r) => {
    const tr = el('tr', 'fired-row');
    tr.dataset['rule'] = r.rule;
    tr.append(el('td', 'rule', r.rule), el('td', 'event', r.event));
    const sent = el('td', 'sent');
    for (const line of r.sent) sent.append(el('div', 'sent-line', line));
    if (r.sent.length === 0) sent.append(el('div', 'sent-line none', 'nothing sent'));
    tr.append(sent, el('td', 'num count', String(r.count)));
    return tr;
  });
  body.replaceChildren(...lines);
  const empty = byId('fired-empty');
  empty.hidden = shown.length > 0;
  empty.textContent = rows.length === 0 ? 'No rule has fired since this page opened.' : 'No fired rule matches the filter.';
}

/**
 * @param {readonly TargetRow[]} targets
 */
export function renderTargets(targets) {
  const rows = targets.map((t) => {
    const tr = el('tr', `target-row state-${t.state}`);
    tr.dataset['target'] = t.name;
    const name = el('td', 'target-name');
    name.append(el('div', 'name', t.name), el('div', 'kind', t.kind + (t.clients === null ? '' : ` · ${t.clients} client${t.clients === 1 ? '' : 's'}`)));
    const state = el('td', 'target-state');
    state.append(el('span', `pill state-${t.state}`, t.state));
    if (t.lastError !== null && t.state !== 'connected') state.title = t.lastError;
    tr.append(
      name,
      state,
      el('td', 'num col-sent', t.sent === null ? '–' : String(t.sent)),
      el('td', `num ${t.refused > 0 ? 'warn' : ''}`, String(t.refused)),
      el('td', `num ${t.reconnects > 0 ? 'warn' : ''}`, String(t.reconnects)),
      el('td', `num ${t.dropped > 0 ? 'bad' : ''}`, String(t.dropped)),
    );
    return tr;
  });
  if (rows.length === 0) {
    const tr = el('tr', 'none');
    const td = el('td', 'empty', 'The mapping has no targets.');
    td.setAttribute('colspan', '6');
    tr.append(td);
    rows.push(tr);
  }
  byId('target-rows').replaceChildren(...rows);
}

/**
 * @param {MappingView} mapping
 * @param {number} now server time of the snapshot
 */
export function renderMapping(mapping, now) {
  const state = byId('mapping-state');
  const files = mapping.files.map(baseName).join(', ') || '–';
  state.replaceChildren(
    el('div', 'mapping-line', `${mapping.rules} rule${mapping.rules === 1 ? '' : 's'} · ${mapping.targets.length} target${mapping.targets.length === 1 ? '' : 's'}`),
    el('div', 'mapping-files', files),
    el('div', 'mapping-loaded', `${mapping.reloads === 0 ? 'loaded' : `reloaded (${mapping.reloads}×)`} ${ago(now - mapping.loadedAt)}`),
  );
  const box = byId('mapping-error');
  const refused = mapping.refused;
  if (refused === null) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  const fixed = mapping.loadedAt > refused.at;
  box.classList.toggle('fixed', fixed);
  const head = el('div', 'mapping-error-head', fixed ? `a reload was refused ${ago(now - refused.at)}; fixed since` : `the last save was refused ${ago(now - refused.at)}: the previous mapping keeps running`);
  const list = el('ul', 'mapping-error-list');
  for (const e of refused.errors.slice(0, 5)) {
    const li = el('li', 'mapping-error-item');
    li.append(el('span', 'where', `${baseName(e.file)}:${e.line}:${e.column}`), el('span', 'what', ` ${e.path === '' ? '' : `${e.path}: `}${e.message}`));
    li.title = e.file;
    list.append(li);
  }
  if (refused.errors.length > 5) list.append(el('li', 'mapping-error-more', `and ${refused.errors.length - 5} more`));
  box.replaceChildren(head, list);
}

/**
 * @param {NetworkView} network
 */
export function renderNetwork(network) {
  byId('network-summary').replaceChildren(
    el('div', 'mode', network.mode ?? '–'),
    el('div', 'counts', `${network.packets.toLocaleString('en')} packets · ${network.malformed.toLocaleString('en')} malformed · ${network.events.toLocaleString('en')} events · ${network.sent.toLocaleString('en')} sent${network.unsent > 0 ? ` · ${network.unsent.toLocaleString('en')} unsent` : ''}`),
  );
  const items = network.devices.map((d) => {
    const li = el('li', 'device');
    li.append(el('span', 'device-number', `#${d.device}`), el('span', 'device-name', d.name), el('span', 'device-where', `${d.type} · ${d.address}`));
    return li;
  });
  if (items.length === 0) items.push(el('li', 'device none', 'No Pro DJ Link device heard yet.'));
  byId('device-list').replaceChildren(...items);
}
