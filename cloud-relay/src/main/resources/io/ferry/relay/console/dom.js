// Builds the page from data without ever parsing data as HTML: text goes in as text nodes only.

/**
 * el('td', {class: 'mono'}, 'text', otherNode) — attributes are set with setAttribute (never an on*
 * handler), children that are not nodes become text nodes.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) throw new Error('no inline handlers: ' + name);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Replaces what `node` shows with `children` (nested lists flattened, null and false left out, text as text). */
export function mount(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

/** A table with a header row; rows is a list of <tr> nodes. */
export function table(id, headers, rows, empty) {
  if (rows.length === 0) return el('p', {class: 'note', id: id ? id + '-empty' : undefined}, empty || 'Nothing yet.');
  return el('table', {id},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows));
}

export function badge(text, kind) {
  return el('span', {class: 'badge ' + (kind || text)}, text);
}

/** 2026-11-21 14:03:05Z, or '–'. */
export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** "12 s ago", "5 min ago", or the instant for older ones. */
export function ago(iso) {
  if (!iso) return 'never';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 0) return when(iso);
  if (seconds < 90) return seconds + ' s ago';
  if (seconds < 90 * 60) return Math.round(seconds / 60) + ' min ago';
  return when(iso);
}

export function fields(pairs) {
  return el('dl', {class: 'fields'}, pairs.filter(p => p).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '–')]));
}
