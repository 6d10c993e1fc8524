/*
 * cchc search client.
 *
 * Reads the static index written by src/render/search/ (format in that module's header):
 * tim-kiem/index/meta.json, one shard s/<hex>.bin per query syllable, syllable pair and
 * accented syllable (only when typed with diacritics), and
 * the fragment files f/<group>.json of the results on screen. Plain ES2017, no dependencies,
 * loaded with `defer` from the search page; `data-root` on the <script> tag is the relative
 * path from the page to the site root.
 *
 * Under Node (tests/search_js_test.mjs) it does not touch the DOM and exports its pure
 * functions through `module.exports` instead.
 */
(function () {
  'use strict';

  var FORMAT_VERSION = 1;
  var PAGE_SIZE = 10;
  var MAX_TOKENS = 12;
  var MAX_TERM_BYTES = 40;
  // Same weights as the Rust mirror in src/render/search/tests.rs.
  var BIGRAM_BOOST = 2;
  var FLAG_BITMAP = 1;
  var FLAG_WIDE_IMPACTS = 2;
  var SENTENCE_BREAKS = '.;:!?\n\r\u2026|';
  var SNIPPET_CHARS = 220;
  var DEBOUNCE_MS = 150;
  var LOADING_DELAY_MS = 200;

  var COMBINING = /[\u0300-\u036f]/g;
  var ASCII_ONLY = /^[\x00-\x7f]*$/;
  var WORD_CHAR = (function () {
    // Unicode property escapes are ES2018; build at run time so older parsers still load us.
    try {
      return new RegExp('[\\p{L}\\p{N}\\p{M}]', 'u');
    } catch (e) {
      return /[0-9A-Za-z\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]/;
    }
  })();

  // ---- text: must agree with src/text.rs `fold` and search/tokenize.rs ----

  function isWordChar(ch) {
    return WORD_CHAR.test(ch);
  }

  /** Lower-case ASCII without diacritics (đ → d); non-alphanumeric runs become one space. */
  function foldWord(raw) {
    var lower = raw.toLowerCase().replace(/[\u0111\u00f0]/g, 'd');
    var base = lower.normalize('NFD').replace(COMBINING, '');
    return base.split(/[^a-z0-9]+/).filter(Boolean).join(' ');
  }

  function accentedForm(raw, folded) {
    if (ASCII_ONLY.test(raw)) return null;
    var lower = raw.toLowerCase();
    return lower !== folded && !ASCII_ONLY.test(lower) ? lower : null;
  }

  function pushSyllables(raw, run) {
    var folded = foldWord(raw);
    if (!folded) return;
    if (folded.indexOf(' ') < 0) {
      if (folded.length <= MAX_TERM_BYTES) run.push({ folded: folded, accented: accentedForm(raw, folded) });
      return;
    }
    folded.split(' ').forEach(function (part) {
      if (part.length <= MAX_TERM_BYTES) run.push({ folded: part, accented: null });
    });
  }

  /** Splits text into runs of syllables {folded, accented}; runs end at sentence punctuation. */
  function tokenize(text) {
    var s = String(text).normalize('NFC');
    var runs = [[]];
    var word = '';
    function flush() {
      if (word) pushSyllables(word, runs[runs.length - 1]);
      word = '';
    }
    for (var ch of s) {
      if (isWordChar(ch)) {
        word += ch;
        continue;
      }
      flush();
      if (SENTENCE_BREAKS.indexOf(ch) >= 0 && runs[runs.length - 1].length) runs.push([]);
    }
    flush();
    return runs.filter(function (r) { return r.length > 0; });
  }

  /** Query → distinct syllables (at most MAX_TOKENS) and the bigrams of adjacent ones. */
  function parseQuery(query) {
    var unigrams = [];
    var bigrams = [];
    tokenize(query).forEach(function (run) {
      run.forEach(function (syl, i) {
        var known = unigrams.some(function (u) { return u.folded === syl.folded; });
        if (!known && unigrams.length < MAX_TOKENS) unigrams.push(syl);
        if (i > 0) {
          var pair = run[i - 1].folded + ' ' + syl.folded;
          if (bigrams.indexOf(pair) < 0 && bigrams.length < MAX_TOKENS) bigrams.push(pair);
        }
      });
    });
    return { unigrams: unigrams, bigrams: bigrams };
  }

  // ---- binary format ----

  var utf8Decoder = new TextDecoder('utf-8');
  var utf8Encoder = new TextEncoder();

  /** 32-bit FNV-1a over the UTF-8 bytes of `key` (same as encode.rs `fnv1a`). */
  function fnv1a(key) {
    var bytes = utf8Encoder.encode(key);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul(h ^ bytes[i], 0x01000193);
    }
    return h >>> 0;
  }

  function readVarint(bytes, cursor) {
    var value = 0;
    var scale = 1;
    for (;;) {
      if (cursor.pos >= bytes.length) throw new Error('index: truncated varint');
      var b = bytes[cursor.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  }

  /** Reads a shard's directory: term → {df, start, end} (postings stay undecoded). */
  function readShard(bytes) {
    var cursor = { pos: 0 };
    var dir = new Map();
    var count = bytes.length ? readVarint(bytes, cursor) : 0;
    for (var i = 0; i < count; i++) {
      var keyLen = readVarint(bytes, cursor);
      var key = utf8Decoder.decode(bytes.subarray(cursor.pos, cursor.pos + keyLen));
      cursor.pos += keyLen;
      var df = readVarint(bytes, cursor);
      var len = readVarint(bytes, cursor);
      dir.set(key, { df: df, start: cursor.pos, end: cursor.pos + len });
      cursor.pos += len;
    }
    return { bytes: bytes, dir: dir };
  }

  /** Calls visit(doc, weight) for each posting of a term, in doc order. */
  function decodePostings(bytes, entry, wmax, visit) {
    var df = entry.df;
    var cursor = { pos: entry.start };
    var flags = bytes[cursor.pos++];
    var docs = new Uint32Array(df);
    var n = 0;
    if (flags & FLAG_BITMAP) {
      var firstByte = readVarint(bytes, cursor);
      var byteCount = readVarint(bytes, cursor);
      for (var k = 0; k < byteCount && n < df; k++) {
        var b = bytes[cursor.pos + k];
        while (b && n < df) {
          var low = b & -b;
          docs[n++] = (firstByte + k) * 8 + (31 - Math.clz32(low));
          b ^= low;
        }
      }
      cursor.pos += byteCount;
    } else {
      var prev = 0;
      for (; n < df; n++) {
        prev += readVarint(bytes, cursor);
        docs[n] = prev;
      }
    }
    var bits = flags & FLAG_WIDE_IMPACTS ? 4 : 2;
    var levels = 1 << bits;
    for (var i = 0; i < n; i++) {
      var at = i * bits;
      var v = (bytes[cursor.pos + (at >> 3)] >> (at & 7)) & (levels - 1);
      visit(docs[i], (v + 0.5) / levels * wmax);
    }
  }

  // ---- searching ----

  /**
   * Runs queries against an index reached through `loader`:
   * {json(path) → Promise<object>, bytes(path) → Promise<Uint8Array>}, paths relative to
   * tim-kiem/index/.
   */
  class Searcher {
    constructor(loader) {
      this.loader = loader;
      this.metaPromise = null;
      this.meta = null;
      this.shards = new Map();
      this.groups = new Map();
    }

    init() {
      if (!this.metaPromise) {
        var self = this;
        this.metaPromise = this.loader.json('meta.json').then(function (meta) {
          if (!meta || meta.version !== FORMAT_VERSION) throw new Error('index: unsupported format');
          self.meta = meta;
          return meta;
        });
        this.metaPromise.catch(function () { self.metaPromise = null; });
      }
      return this.metaPromise;
    }

    shard(key) {
      var path = 's/' + (fnv1a(key) & (this.meta.shards - 1)).toString(16) + '.bin';
      if (!this.shards.has(path)) {
        var self = this;
        var p = this.loader.bytes(path).then(readShard);
        p.catch(function () { self.shards.delete(path); });
        this.shards.set(path, p);
      }
      return this.shards.get(path);
    }

    /** Ranked doc ids for `query`: {ids, total, partial, terms (folded syllables)}. */
    async search(query) {
      var parsed = parseQuery(query);
      var terms = parsed.unigrams.map(function (u) { return u.folded; });
      if (!terms.length) return { ids: [], total: 0, partial: false, terms: terms };
      var meta = await this.init();
      var accented = parsed.unigrams.map(function (u) { return u.accented; }).filter(Boolean);
      var keys = terms.concat(parsed.bigrams, accented);
      var shards = await Promise.all(keys.map(this.shard, this));
      var exactShard = new Map();
      accented.forEach(function (a, k) { exactShard.set(a, shards[keys.length - accented.length + k]); });
      var acc = new Accumulator(meta.docs);
      var wmax = meta.wmax;
      var idf = function (df) { return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5)); };
      parsed.unigrams.forEach(function (u, i) {
        var shard = shards[i];
        var entry = shard.dir.get(u.folded);
        if (entry) {
          var w = idf(entry.df);
          decodePostings(shard.bytes, entry, wmax, function (d, x) { acc.unigram(d, w * x); });
        }
        var exactIn = u.accented ? exactShard.get(u.accented) : null;
        var exact = exactIn ? exactIn.dir.get(u.accented) : null;
        if (exact) decodePostings(exactIn.bytes, exact, wmax, function (d) { acc.accent(d); });
      });
      parsed.bigrams.forEach(function (b, j) {
        var shard = shards[terms.length + j];
        var entry = shard.dir.get(b);
        if (!entry) return;
        var w = BIGRAM_BOOST * idf(entry.df);
        decodePostings(shard.bytes, entry, wmax, function (d, x) { acc.phrase(d, w * x); });
      });
      return acc.ranked(terms.length, terms);
    }

    /** Display rows {url, title, kind, context, excerpt} for doc ids, in the same order. */
    async fragments(ids) {
      var meta = await this.init();
      var self = this;
      var rows = await Promise.all(ids.map(function (id) {
        var group = Math.floor(id / meta.group);
        if (!self.groups.has(group)) {
          var p = self.loader.json('f/' + group + '.json');
          p.catch(function () { self.groups.delete(group); });
          self.groups.set(group, p);
        }
        return self.groups.get(group).then(function (list) { return list[id % meta.group]; });
      }));
      return rows.map(function (row, i) {
        row = row || ['', '', 0, '', ''];
        return { id: ids[i], url: row[0], title: row[1], kind: meta.kinds[row[2]] || '', context: row[3], excerpt: row[4] };
      });
    }
  }

  /** Per-doc ranking keys in typed arrays, so a very common term costs no allocations. */
  class Accumulator {
    constructor(n) {
      this.cover = new Uint8Array(n);
      this.phrases = new Uint8Array(n);
      this.accents = new Uint8Array(n);
      this.score = new Float64Array(n);
      this.touched = [];
    }

    unigram(d, s) {
      if (d >= this.cover.length) return;
      if (this.cover[d] === 0 && this.accents[d] === 0) this.touched.push(d);
      this.cover[d]++;
      this.score[d] += s;
    }

    accent(d) {
      if (d >= this.cover.length) return;
      if (this.cover[d] === 0 && this.accents[d] === 0) this.touched.push(d);
      this.accents[d]++;
    }

    phrase(d, s) {
      if (d >= this.cover.length || (this.cover[d] === 0 && this.accents[d] === 0)) return;
      this.phrases[d]++;
      this.score[d] += s;
    }

    /**
     * Entries with every syllable (or, if none has all, those with any), ordered by syllables
     * matched, phrases matched, exact-accent matches, score, then doc id.
     */
    ranked(full, terms) {
      var c = this.cover, p = this.phrases, a = this.accents, s = this.score;
      var anyFull = this.touched.some(function (d) { return c[d] === full; });
      var ids = anyFull ? this.touched.filter(function (d) { return c[d] === full; }) : this.touched.slice();
      ids.sort(function (x, y) {
        return (c[y] - c[x]) || (p[y] - p[x]) || (a[y] - a[x]) || (s[y] - s[x]) || (x - y);
      });
      return { ids: ids, total: ids.length, partial: !anyFull && ids.length > 0, terms: terms };
    }
  }

  // ---- snippets ----

  /** Splits text into [{text, hit}] pieces; a word is a hit when it folds to a query term. */
  function highlightSegments(text, terms) {
    var wanted = new Set(terms);
    var out = [];
    var plain = '';
    var word = '';
    function flushWord() {
      if (!word) return;
      var hit = foldWord(word.normalize('NFC')).split(' ').some(function (p) { return wanted.has(p); });
      if (hit) {
        if (plain) out.push({ text: plain, hit: false });
        out.push({ text: word, hit: true });
        plain = '';
      } else {
        plain += word;
      }
      word = '';
    }
    for (var ch of String(text)) {
      if (isWordChar(ch)) {
        word += ch;
      } else {
        flushWord();
        plain += ch;
      }
    }
    flushWord();
    if (plain) out.push({ text: plain, hit: false });
    return out;
  }

  /** Up to SNIPPET_CHARS characters of `text`, starting a little before the first hit. */
  function snippetText(text, terms) {
    var chars = Array.from(String(text));
    if (chars.length <= SNIPPET_CHARS) return chars.join('');
    var first = 0;
    var offset = 0;
    var segs = highlightSegments(text, terms);
    for (var i = 0; i < segs.length; i++) {
      if (segs[i].hit) {
        first = offset;
        break;
      }
      offset += Array.from(segs[i].text).length;
    }
    var start = Math.max(0, first - 40);
    while (start > 0 && start < first && !/\s/.test(chars[start - 1])) start++;
    var end = Math.min(chars.length, start + SNIPPET_CHARS);
    return (start > 0 ? '\u2026' : '') + chars.slice(start, end).join('') + (end < chars.length ? '\u2026' : '');
  }

  // ---- page ----

  function fileBlocked(err) {
    return typeof location !== 'undefined' && location.protocol === 'file:' && !(err && err.status);
  }

  function errorMessage(err) {
    if (fileBlocked(err)) {
      return 'Không tải được dữ liệu tìm kiếm: trình duyệt không cho đọc tệp khi trang được mở ' +
        'trực tiếp từ ổ đĩa (file://). Hãy xem trang qua máy chủ web, ví dụ chạy lệnh “cchc serve”.';
    }
    var code = err && err.status ? ' (lỗi ' + err.status + ')' : '';
    return 'Không tải được dữ liệu tìm kiếm' + code + '. Vui lòng tải lại trang hoặc thử lại sau.';
  }

  function xhrGet(url, type) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      xhr.responseType = type === 'json' ? 'json' : 'arraybuffer';
      xhr.onload = function () {
        // file:// answers with status 0 on success.
        if ((xhr.status === 0 || xhr.status === 200) && xhr.response) {
          resolve(type === 'json' ? xhr.response : new Uint8Array(xhr.response));
        } else {
          reject(new Error('XHR ' + xhr.status));
        }
      };
      xhr.onerror = function () { reject(new Error('XHR failed')); };
      xhr.send();
    });
  }

  /** Loader over fetch(), with an XHR retry for file:// (Firefox allows it; Chromium not). */
  function browserLoader(base) {
    var isFile = location.protocol === 'file:';
    var token = '';
    async function get(path, type) {
      var url = base + path + (token && !isFile ? '?v=' + encodeURIComponent(token) : '');
      var response;
      try {
        response = await fetch(url, path === 'meta.json' ? { cache: 'no-cache' } : {});
      } catch (err) {
        if (isFile) return xhrGet(url, type);
        throw err;
      }
      if (!response.ok) {
        var httpErr = new Error('HTTP ' + response.status);
        httpErr.status = response.status;
        throw httpErr;
      }
      return type === 'json' ? response.json() : new Uint8Array(await response.arrayBuffer());
    }
    return {
      json: function (path) {
        return get(path, 'json').then(function (value) {
          if (path === 'meta.json' && value && typeof value.token === 'string') token = value.token;
          return value;
        });
      },
      bytes: function (path) { return get(path, 'bytes'); },
    };
  }

  function appendHighlighted(parent, text, terms) {
    highlightSegments(text, terms).forEach(function (seg) {
      if (seg.hit) {
        var mark = document.createElement('mark');
        mark.textContent = seg.text;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(seg.text));
      }
    });
  }

  /** Our URLs are relative to the site root; anything with a scheme is refused. */
  function resultHref(root, url) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.indexOf('//') === 0) return '#';
    return root + url.replace(/^\/+/, '');
  }

  function renderResult(row, terms, root) {
    var li = document.createElement('li');
    li.className = 'search-result';
    var link = document.createElement('a');
    link.className = 'search-result-title';
    link.href = resultHref(root, row.url);
    appendHighlighted(link, row.title || row.url, terms);
    li.appendChild(link);
    var meta = document.createElement('p');
    meta.className = 'search-result-meta';
    var kind = document.createElement('span');
    kind.className = 'search-result-kind';
    kind.textContent = row.kind;
    meta.appendChild(kind);
    if (row.context) {
      meta.appendChild(document.createTextNode(' · '));
      var context = document.createElement('span');
      context.className = 'search-result-context';
      context.textContent = row.context;
      meta.appendChild(context);
    }
    li.appendChild(meta);
    if (row.excerpt) {
      var snippet = document.createElement('p');
      snippet.className = 'search-result-snippet';
      appendHighlighted(snippet, snippetText(row.excerpt, terms), terms);
      li.appendChild(snippet);
    }
    return li;
  }

  function formatCount(n) {
    try {
      return n.toLocaleString('vi-VN');
    } catch (e) {
      return String(n);
    }
  }

  function statusText(res, query) {
    var q = '“' + query + '”';
    if (!res.total) return 'Không tìm thấy kết quả cho ' + q + '.';
    if (res.partial) {
      return 'Không có kết quả chứa đủ mọi từ; tìm thấy ' + formatCount(res.total) +
        ' kết quả gần đúng cho ' + q + '.';
    }
    return 'Tìm thấy ' + formatCount(res.total) + ' kết quả cho ' + q + '.';
  }

  function replaceQueryInUrl(query) {
    try {
      var url = new URL(location.href);
      if (query) url.searchParams.set('q', query);
      else url.searchParams.delete('q');
      history.replaceState(history.state, '', url.href);
    } catch (e) {
      // Some browsers refuse replaceState on file:// pages; sharing the URL is a nicety.
    }
  }

  function initPage(script) {
    var form = document.getElementById('search-form');
    var input = document.getElementById('q');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    if (!form || !input || !status || !list) return;
    var root = (script && script.getAttribute('data-root')) || '';
    if (root && root.charAt(root.length - 1) !== '/') root += '/';
    var searcher = new Searcher(browserLoader(root + 'tim-kiem/index/'));
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'search-more';
    more.textContent = 'Xem thêm kết quả';
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    var seq = 0;
    var current = null;
    var debounce = 0;

    async function showNext(my, moveFocus) {
      var ids = current.res.ids.slice(current.shown, current.shown + PAGE_SIZE);
      var rows = await searcher.fragments(ids);
      if (my !== seq) return;
      var firstLink = null;
      rows.forEach(function (row) {
        var li = renderResult(row, current.res.terms, root);
        list.appendChild(li);
        if (!firstLink) firstLink = li.querySelector('a');
      });
      current.shown += ids.length;
      more.hidden = current.shown >= current.res.total;
      if (moveFocus && firstLink) firstLink.focus();
    }

    async function run(query, updateUrl) {
      var my = ++seq;
      query = query.trim();
      if (updateUrl) replaceQueryInUrl(query);
      var loading = setTimeout(function () {
        if (my === seq) status.textContent = 'Đang tải…';
      }, LOADING_DELAY_MS);
      try {
        if (!query) {
          current = null;
          list.textContent = '';
          more.hidden = true;
          status.textContent = '';
          return;
        }
        list.setAttribute('aria-busy', 'true');
        var res = await searcher.search(query);
        if (my !== seq) return;
        current = { res: res, shown: 0 };
        list.textContent = '';
        more.hidden = true;
        if (res.total) await showNext(my, false);
        if (my === seq) status.textContent = statusText(res, query);
      } catch (err) {
        if (my === seq) {
          list.textContent = '';
          more.hidden = true;
          status.textContent = errorMessage(err);
        }
      } finally {
        clearTimeout(loading);
        if (my === seq) list.removeAttribute('aria-busy');
      }
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearTimeout(debounce);
      run(input.value, true);
    });
    input.addEventListener('input', function () {
      clearTimeout(debounce);
      debounce = setTimeout(function () { run(input.value, true); }, DEBOUNCE_MS);
    });
    more.addEventListener('click', function () {
      if (!current) return;
      var my = seq;
      more.disabled = true;
      showNext(my, true).catch(function (err) {
        if (my === seq) status.textContent = errorMessage(err);
      }).then(function () { more.disabled = false; });
    });

    var initial = new URL(location.href).searchParams.get('q');
    if (initial) {
      input.value = initial;
      run(initial, false);
    }
  }

  var api = {
    PAGE_SIZE: PAGE_SIZE,
    foldWord: foldWord,
    tokenize: tokenize,
    parseQuery: parseQuery,
    fnv1a: fnv1a,
    readShard: readShard,
    decodePostings: decodePostings,
    Searcher: Searcher,
    highlightSegments: highlightSegments,
    snippetText: snippetText,
    statusText: statusText,
  };

  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  } else if (typeof document !== 'undefined') {
    // document.currentScript is only set while this file first runs.
    var script = document.currentScript || document.querySelector('script[data-root][src$="search.js"]');
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { initPage(script); });
    } else {
      initPage(script);
    }
  }
})();
