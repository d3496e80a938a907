/* keikaku site search: a character-bigram index (see src/render/search.rs for the format).
   Progressive enhancement: without JavaScript the search page lists every measure; with it,
   the form searches in place and the result count is announced through a live region.
   The index is loaded with <script> tags (not fetch) so that it also works from file://. */
(function () {
  'use strict';
  var TITLE = 1, META = 2, KPI = 4, BODY = 8;
  var MAX_SHOWN = 50;
  var state = { docs: null, shards: 0, synonyms: [], loaded: {}, waiting: {} };
  var docsWaiters = [];

  // Called by search/docs.js and search/shard-N.js.
  window.keikakuSearch = {
    docs: function (data) {
      state.docs = data.docs;
      state.shards = data.shards;
      state.synonyms = data.synonyms || [];
      state.norm = data.docs.map(function (d) { return { title: normalize(d[1]), meta: normalize(d[3]) }; });
      docsWaiters.splice(0).forEach(function (f) { f(); });
    },
    shard: function (i, postings) {
      state.loaded[i] = postings;
      (state.waiting[i] || []).splice(0).forEach(function (f) { f(); });
    },
    // For tests (tests/search_fold.rs runs these under Node) and other scripts.
    normalize: function (s) { return normalize(s); },
    query: function (cfg, q) { return search(cfg, q); }
  };

  // Same rules as fold/keys/shard_of in src/render/search.rs: NFKC, lower case, katakana as
  // hiragana, the long-vowel mark dropped.
  function normalize(s) {
    return String(s).normalize('NFKC').toLowerCase()
      .replace(/[\u30A1-\u30F6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); })
      .replace(/\u30FC/g, '');
  }
  var WORD = /[\p{Alphabetic}\p{N}-]+/gu;
  function words(s) { return normalize(s).match(WORD) || []; }
  function keysOf(word) {
    var chars = Array.from(word);
    if (chars.length < 2) return chars;
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }
  function shardOf(key, n) {
    var h = 0x811c9dc5;
    for (var ch of key) { h ^= ch.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
    return h % n;
  }

  function loadScript(src, onerror) {
    var s = document.createElement('script');
    s.src = src;
    s.onerror = onerror;
    document.head.appendChild(s);
  }
  function whenDocs(cfg) {
    return new Promise(function (resolve, reject) {
      if (state.docs) return resolve();
      docsWaiters.push(resolve);
      if (docsWaiters.length === 1) loadScript(cfg.docs, reject);
    });
  }
  function whenShard(cfg, i) {
    return new Promise(function (resolve, reject) {
      if (state.loaded[i]) return resolve();
      var list = state.waiting[i] || (state.waiting[i] = []);
      list.push(resolve);
      if (list.length === 1) loadScript(cfg.shards + i + '.js', reject);
    });
  }

  // doc id → field bits where every key of `word` occurs (AND over the keys).
  function matchWord(word) {
    var keys = keysOf(word);
    var result = null;
    for (var k = 0; k < keys.length; k++) {
      var list = state.loaded[shardOf(keys[k], state.shards)][keys[k]];
      if (!list) return new Map();
      var here = new Map();
      var v = 0;
      for (var j = 0; j < list.length; j++) {
        v += list[j];
        var id = Math.floor(v / 16), bits = v % 16;
        if (!result || result.has(id)) here.set(id, result ? (result.get(id) & bits) : bits);
      }
      result = here;
    }
    return result || new Map();
  }

  function score(id, word, bits) {
    var n = state.norm[id];
    var s = 0;
    if (n.title.indexOf(word) >= 0) s += 100;
    else if (n.meta.indexOf(word) >= 0) s += 40;
    if (bits & TITLE) s += 8;
    if (bits & META) s += 4;
    if (bits & KPI) s += 2;
    if (bits & BODY) s += 1;
    return s;
  }

  // A word and its synonym forms: each synonym it contains replaced by the other words of
  // its group (スマホ講座 → すまとふぉん講座), so either finds what the other does.
  function variants(w) {
    var out = [w];
    state.synonyms.forEach(function (group) {
      group.forEach(function (m) {
        if (w.indexOf(m) < 0) return;
        group.forEach(function (o) {
          var v = w.split(m).join(o);
          if (out.indexOf(v) < 0) out.push(v);
        });
      });
    });
    return out;
  }

  function search(cfg, query) {
    var ws = words(query);
    if (!ws.length) return Promise.resolve(null);
    return whenDocs(cfg).then(function () {
      var needed = {};
      ws.forEach(function (w) {
        variants(w).forEach(function (v) {
          if (Array.from(v).length > 1) keysOf(v).forEach(function (k) { needed[shardOf(k, state.shards)] = true; });
        });
      });
      return Promise.all(Object.keys(needed).map(function (i) { return whenShard(cfg, Number(i)); }));
    }).then(function () {
      var scores = null;
      ws.forEach(function (w) {
        var found = new Map();
        variants(w).forEach(function (v) {
          var add = function (id, s) { if (!found.has(id) || found.get(id) < s) found.set(id, s); };
          if (Array.from(v).length === 1) {
            // One character: too common for the index to help; look in titles and meta.
            state.norm.forEach(function (n, id) { if (n.title.indexOf(v) >= 0 || n.meta.indexOf(v) >= 0) add(id, score(id, v, 0)); });
          } else {
            matchWord(v).forEach(function (bits, id) { add(id, score(id, v, bits)); });
          }
        });
        if (!scores) { scores = found; return; }
        var next = new Map();
        found.forEach(function (s, id) { if (scores.has(id)) next.set(id, scores.get(id) + s); });
        scores = next;
      });
      var hits = [];
      scores.forEach(function (s, id) { hits.push([s, id]); });
      hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return hits.map(function (h) { return state.docs[h[1]]; });
    });
  }

  function href(cfg, path) {
    var hash = '';
    var i = path.indexOf('#');
    if (i >= 0) { hash = path.slice(i); path = path.slice(0, i); }
    if (cfg.fileLinks && (path === '' || path.slice(-1) === '/')) path += 'index.html';
    return (cfg.root + path || './') + hash;
  }

  function render(cfg, query, docs) {
    var list = cfg.results, status = cfg.status;
    list.textContent = '';
    if (docs === null) { list.hidden = true; status.textContent = ''; return; }
    docs.slice(0, MAX_SHOWN).forEach(function (d) {
      var li = document.createElement('li');
      var p = document.createElement('p');
      p.className = 'search-results__title';
      var a = document.createElement('a');
      a.href = href(cfg, d[2]);
      a.textContent = d[1];
      var kind = document.createElement('span');
      kind.className = 'search-results__kind';
      kind.textContent = d[0];
      p.appendChild(kind);
      p.appendChild(document.createTextNode(' '));
      p.appendChild(a);
      li.appendChild(p);
      if (d[3]) {
        var meta = document.createElement('p');
        meta.className = 'search-results__meta';
        meta.textContent = d[3];
        li.appendChild(meta);
      }
      list.appendChild(li);
    });
    list.hidden = docs.length === 0;
    var q = query.trim();
    status.textContent = docs.length === 0
      ? message(cfg, 'none', { query: q })
      : message(cfg, 'count', { query: q, count: docs.length }) +
        (docs.length > MAX_SHOWN ? message(cfg, 'more', { shown: MAX_SHOWN }) : '');
  }

  // The status messages are the page's, in its language: the search form carries them
  // (data-msg-none, data-msg-count…, from the interface table), with {query}, {count} and
  // {shown} for the values, so this file holds no words of any language.
  function message(cfg, name, values) {
    var text = cfg.form.getAttribute('data-msg-' + name) || '';
    return text.replace(/\{(query|count|shown)\}/g, function (all, key) {
      return String(values[key] === undefined ? all : values[key]);
    });
  }

  function init() {
    var form = document.querySelector('form.search-form[data-docs]');
    if (!form) return;
    var input = form.querySelector('input[name="q"]');
    var cfg = {
      form: form,
      root: form.getAttribute('data-root') || '',
      docs: form.getAttribute('data-docs'),
      shards: form.getAttribute('data-shards'),
      fileLinks: form.getAttribute('data-file-links') === 'true',
      results: document.getElementById('search-results'),
      status: document.getElementById('search-status')
    };
    var seq = 0, timer = null;
    function run(updateUrl) {
      var query = input.value;
      var mine = ++seq;
      if (updateUrl) {
        try {
          var u = new URL(window.location.href);
          if (query.trim()) u.searchParams.set('q', query); else u.searchParams.delete('q');
          window.history.replaceState(null, '', u.href);
        } catch (e) { /* file:// or an old browser: the URL just stays */ }
      }
      search(cfg, query).then(function (docs) {
        if (mine === seq) render(cfg, query, docs);
      }, function () {
        if (mine === seq) cfg.status.textContent = message(cfg, 'failed', {});
      });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); run(true); });
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { run(true); }, 300); });
    // The index is loaded when the reader is about to search, not with the page, so that
    // opening the page (and typing the first characters) is never blocked by it.
    input.addEventListener('focus', function () { whenDocs(cfg).catch(function () {}); }, { once: true });
    // With JavaScript the search works, so the notice for readers without it goes.
    var notice = document.getElementById('search-nojs');
    if (notice) notice.hidden = true;
    var q = new URLSearchParams(window.location.search).get('q');
    if (q) {
      // Say at once what is being searched; search after the page has finished loading.
      input.value = q;
      cfg.status.textContent = message(cfg, 'running', { query: q.trim() });
      var later = function () { setTimeout(function () { run(false); }, 0); };
      if (document.readyState === 'complete') later(); else window.addEventListener('load', later, { once: true });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
