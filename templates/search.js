// The search of search.html, the only script of the site. The build writes the index
// beside it as search-index.js (window.accordSearch): each entry's kind, link, title and
// text, and the title and text folded for matching. This script folds the query the same
// way (src/render/search.rs, `fold`), keeps the entries that hold every word of it, and
// lists them: title first, then text, in the index's order. Everything it inserts is
// text (textContent), never markup.
(() => {
  'use strict';
  const MAX_RESULTS = 50;
  // Characters of an excerpt: before the match, and in all.
  const BEFORE = 60;
  const EXCERPT = 180;

  const input = document.getElementById('q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  if (!input || !status || !list) return;
  const index = window.accordSearch;
  if (!index) {
    status.textContent = status.dataset.unavailable;
    return;
  }

  // One character as the build folds it: lower-cased, then mapped by the index's table of
  // letters without a decomposition (ł, ø, ß...), else decomposed with its marks dropped.
  const foldChar = (c) => {
    let out = '';
    for (const lower of c.toLowerCase()) {
      out += Object.hasOwn(index.letters, lower)
        ? index.letters[lower]
        : lower.normalize('NFD').replace(/\p{M}/gu, '');
    }
    return out;
  };
  const fold = (text) => {
    let out = '';
    for (const c of text) out += foldChar(c);
    return out;
  };
  // Where in `text` the position `at` of its folded form falls (folding goes character
  // by character, so the shown text can mark what the folded text matched).
  const unfold = (text, at) => {
    let folded = 0;
    let i = 0;
    for (const c of text) {
      if (folded >= at) return i;
      folded += foldChar(c).length;
      i += c.length;
    }
    return i;
  };
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  // Entries holding every word of the query, best first: a word that starts a word of the
  // title, then one inside the title, then one in the text only.
  const search = (query) => {
    const words = fold(query).split(/\s+/).filter(Boolean);
    const hits = [];
    if (words.length === 0) return { words, hits };
    index.entries.forEach((entry, order) => {
      const [, , , , title, text] = entry;
      let rank = 0;
      for (const word of words) {
        if (title.startsWith(word) || title.includes(` ${word}`)) continue;
        if (title.includes(word)) rank += 1;
        else if (text.includes(word)) rank += 2;
        else return;
      }
      hits.push({ rank, order, entry });
    });
    hits.sort((a, b) => a.rank - b.rank || a.order - b.order);
    return { words, hits };
  };

  // A short piece of the text around the first word found in it, the match in <mark>;
  // the text's opening when only the title matched.
  const excerpt = (text, folded, words) => {
    let at = -1;
    let length = 0;
    for (const word of words) {
      const i = folded.indexOf(word);
      if (i >= 0 && (at < 0 || i < at)) [at, length] = [i, word.length];
    }
    const start = at < 0 ? 0 : unfold(text, at);
    const end = at < 0 ? 0 : unfold(text, at + length);
    let from = Math.max(0, start - BEFORE);
    if (from > 0) from = Math.min(start, text.indexOf(' ', from) + 1 || start);
    let to = Math.max(end, from + EXCERPT);
    if (to < text.length) {
      const space = text.lastIndexOf(' ', to);
      to = space > end ? space : to;
    } else {
      to = text.length;
    }
    const p = document.createElement('p');
    p.className = 'excerpt';
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    p.append(from > 0 ? '…' : '', text.slice(from, start));
    if (end > start) p.append(mark);
    p.append(text.slice(end, to), to < text.length ? '…' : '');
    return p;
  };

  const show = (query) => {
    const { words, hits } = search(query);
    list.replaceChildren();
    if (words.length === 0) {
      status.textContent = '';
      return;
    }
    if (hits.length === 0) {
      status.textContent = fill(status.dataset.none, { query: query.trim() });
      return;
    }
    let message = fill(status.dataset.count, { count: hits.length });
    if (hits.length > MAX_RESULTS) message += ` ${fill(status.dataset.more, { shown: MAX_RESULTS })}`;
    status.textContent = message;
    for (const { entry } of hits.slice(0, MAX_RESULTS)) {
      const [kind, href, title, text, , folded] = entry;
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = href;
      link.textContent = title;
      const name = document.createElement('span');
      name.className = 'kind';
      name.textContent = index.kinds[kind];
      item.append(link, ' ', name);
      if (text) item.append(excerpt(text, folded, words));
      list.append(item);
    }
  };

  // The keyboard: Down from the field to the first result, Up and Down between results,
  // Up from the first back to the field.
  const links = () => [...list.querySelectorAll('a')];
  input.addEventListener('keydown', (event) => {
    const first = links()[0];
    if (event.key === 'ArrowDown' && first) {
      event.preventDefault();
      first.focus();
    }
  });
  list.addEventListener('keydown', (event) => {
    const all = links();
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    if (event.key === 'ArrowDown' && i + 1 < all.length) {
      event.preventDefault();
      all[i + 1].focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (i > 0 ? all[i - 1] : input).focus();
    }
  });
  input.addEventListener('input', () => show(input.value));

  const query = new URLSearchParams(window.location.search).get('q') ?? '';
  input.value = query;
  show(query);
})();
