/*
 * cchc search client.
 *
 * Reads the static index written by src/render/search/ (format in that module's header):
 * tim-kiem/index/meta.json, one shard s/<hex>.bin per query syllable, syllable pair and
 * accented syllable (only when typed with diacritics), and
 * the fragment files f/<group>.json.gz of the results on screen (gzip, read through
 * DecompressionStream: browsers since 2023). Plain ES2017, no dependencies,
 * loaded with `defer` from the search page; `data-root` on the <script> tag is the relative
 * path from the page to the site root.
 *
 * Under Node (tests/search_js_test.mjs) it does not touch the DOM and exports its pure
 * functions through `module.exports` instead.
 */
(function () {
  'use strict';

  var FORMAT_VERSION = 3;
  var PAGE_SIZE = 10;
  // With no kind chosen, results are shown by kind (documents, tasks, units), this many of
  // each, with a link to all of that kind: ≤ 12 rows, about what one page of 10 costs to fetch.
  var GROUP_SIZE = 4;
  var MAX_TOKENS = 24;
  var TYPO_CANDIDATES = 3;
  var MAX_TERM_BYTES = 40;
  // Same weights as the Rust statement of this ranking, src/render/search/query.rs.
  var BIGRAM_BOOST = 2;
  var NAME_BOOST = 3;
  // A syllable the index lacks is corrected to a dictionary word one edit away when either
  // is this long (query.rs `one_edit`); shorter typed syllables are not worth the download.
  var TYPO_MIN_WORD = 5;
  var TYPO_MIN_TYPED = 4;
  var FLAG_BITMAP = 1;
  var FLAG_WIDE_IMPACTS = 2;
  var FLAG_RELATIVE = 4;
  var FLAG_NO_IMPACTS = 8;
  var FLAG_COMPLEMENT = 16;
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
    return parseRuns(tokenize(query));
  }

  function parseRuns(runs) {
    var unigrams = [];
    var bigrams = [];
    runs.forEach(function (run) {
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

  /** One edit (substitution, insertion, deletion, swap of neighbours), longer word ≥ 5. */
  function oneEdit(a, b) {
    if (a === b || Math.max(a.length, b.length) < TYPO_MIN_WORD) return false;
    var short = a.length <= b.length ? a : b;
    var long = a.length <= b.length ? b : a;
    if (long.length - short.length === 1) {
      var i = 0;
      while (i < short.length && short[i] === long[i]) i++;
      return short.slice(i) === long.slice(i + 1);
    }
    if (long.length !== short.length) return false;
    var diff = [];
    for (var k = 0; k < a.length; k++) if (a[k] !== b[k]) diff.push(k);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
  }

  /** Pairs the correction `c` of missing syllable `m` forms with its neighbours (query.rs). */
  function neighbourPairs(runs, m, c) {
    var pairs = [];
    runs.forEach(function (run) {
      run.forEach(function (syl, i) {
        if (syl.folded !== m) return;
        if (i > 0) pairs.push(run[i - 1].folded + ' ' + c);
        if (i + 1 < run.length) pairs.push(c + ' ' + run[i + 1].folded);
      });
    });
    return pairs;
  }

  function typoCandidate(folded) {
    return folded.length >= TYPO_MIN_TYPED && /^[a-z]+$/.test(folded);
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

  /**
   * The term a term's postings are stored relative to (mod.rs `parent_term`): a pair's first
   * syllable, an accented syllable's folded form; null for others.
   */
  function parentTerm(key) {
    var space = key.indexOf(' ');
    if (space >= 0) return key.slice(0, space);
    return ASCII_ONLY.test(key) ? null : foldWord(key);
  }

  /**
   * Calls visit(doc, weight, inName) (if given) for each posting of a term, in doc order, and
   * returns its doc ids. The top bit of an impact says the term is in the entry's name field;
   * the rest is that field's BM25 level. A relative list (FLAG_RELATIVE) holds positions in
   * `parentDocs`, the parent term's doc ids.
   */
  function decodePostings(bytes, entry, wmax, visit, parentDocs) {
    var df = entry.df;
    var cursor = { pos: entry.start };
    var flags = bytes[cursor.pos++];
    var parent = parentDocs || new Uint32Array(0);
    var complement = (flags & FLAG_RELATIVE) && (flags & FLAG_COMPLEMENT);
    // A complement list names the parent positions *without* the term.
    var listed = complement ? Math.max(0, parent.length - df) : df;
    var docs = new Uint32Array(listed);
    var n = 0;
    if (flags & FLAG_BITMAP) {
      var firstByte = readVarint(bytes, cursor);
      var byteCount = readVarint(bytes, cursor);
      for (var k = 0; k < byteCount && n < listed; k++) {
        var b = bytes[cursor.pos + k];
        while (b && n < listed) {
          var low = b & -b;
          docs[n++] = (firstByte + k) * 8 + (31 - Math.clz32(low));
          b ^= low;
        }
      }
      cursor.pos += byteCount;
    } else {
      var prev = 0;
      for (; n < listed; n++) {
        prev += readVarint(bytes, cursor);
        docs[n] = prev;
      }
    }
    docs = docs.subarray(0, n);
    if (complement) {
      var present = new Uint32Array(df);
      var m = 0;
      var a = 0;
      for (var q = 0; q < parent.length && m < df; q++) {
        if (a < n && docs[a] === q) { a++; continue; }
        present[m++] = q;
      }
      docs = present.subarray(0, m);
      n = m;
    }
    if (flags & FLAG_RELATIVE) {
      var kept = 0;
      for (var j = 0; j < n; j++) if (docs[j] < parent.length) docs[kept++] = parent[docs[j]];
      docs = docs.subarray(0, kept);
      n = kept;
    }
    if (!visit) return docs;
    if (flags & FLAG_NO_IMPACTS) {
      for (var d = 0; d < n; d++) visit(docs[d], 0, false);
      return docs;
    }
    var bits = flags & FLAG_WIDE_IMPACTS ? 4 : 1;
    var levels = 1 << bits;
    var half = levels >> 1;
    for (var i = 0; i < n; i++) {
      var at = i * bits;
      var v = (bytes[cursor.pos + (at >> 3)] >> (at & 7)) & (levels - 1);
      var inName = v >= half;
      visit(docs[i], ((inName ? v - half : v) + 0.5) / half * wmax, inName);
    }
    return docs;
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

    /** The shard holding `key`; a facet (`y:2024`) has a file of its own, x/y-2024.bin. */
    shard(key) {
      var path = key.indexOf(':') >= 0
        ? 'x/' + key.replace(':', '-') + '.bin'
        : 's/' + (fnv1a(key) & (this.meta.shards - 1)).toString(16) + '.bin';
      if (!this.shards.has(path)) {
        var self = this;
        var p = this.loader.bytes(path).then(readShard);
        p.catch(function () { self.shards.delete(path); });
        this.shards.set(path, p);
      }
      return this.shards.get(path);
    }

    /** Whether the index has `term`; fetches its shard. */
    async has(term) {
      return (await this.shard(term)).dir.has(term);
    }

    /** The typo dictionary (w.json), most frequent word first; fetched on first need. */
    dictionary() {
      if (!this.dictPromise) {
        var self = this;
        this.dictPromise = this.loader.json('w.json');
        this.dictPromise.catch(function () { self.dictPromise = null; });
      }
      return this.dictPromise;
    }

    /**
     * The query's runs with each syllable the index lacks replaced by the most frequent
     * dictionary word one edit away (its accented form dropped): {runs, corrected}.
     */
    async correctedRuns(query) {
      var runs = tokenize(query);
      var sylls = [].concat.apply([], runs);
      var missing = new Set();
      var checks = await Promise.all(sylls.map(function (syl) {
        return typoCandidate(syl.folded) ? this.has(syl.folded) : true;
      }, this));
      sylls.forEach(function (syl, i) { if (!checks[i]) missing.add(syl.folded); });
      if (!missing.size) return { runs: runs, corrected: false };
      var dict = await this.dictionary();
      var self = this;
      var fixes = new Map();
      await Promise.all(Array.from(missing).map(async function (m) {
        var candidates = [];
        for (var i = 0; i < dict.length && candidates.length < TYPO_CANDIDATES; i++) {
          if (oneEdit(m, dict[i])) candidates.push(dict[i]);
        }
        // The first candidate that forms a known pair with a neighbour, else the most
        // frequent: "nong thonn" is "nong thon", though "thong" is more common.
        var known = await Promise.all(candidates.map(function (c) {
          return Promise.all(neighbourPairs(runs, m, c).map(self.has, self)).then(function (hits) {
            return hits.some(Boolean);
          });
        }));
        var k = known.indexOf(true);
        if (candidates.length) fixes.set(m, candidates[k >= 0 ? k : 0]);
      }));
      var corrected = false;
      runs = runs.map(function (run) {
        return run.map(function (syl) {
          if (!fixes.has(syl.folded)) return syl;
          corrected = true;
          return { folded: fixes.get(syl.folded), accented: null };
        });
      });
      return { runs: runs, corrected: corrected };
    }

    /**
     * Ranked doc ids for `query` (see Accumulator.ranked), restricted by `filters`
     * ({kind: kind index, year, unit: facet}; each optional): {ids, total, partial, terms,
     * exact (folded → accented form typed), corrected, counts (per kind index, before the
     * kind filter)}.
     */
    async search(query, filters) {
      filters = filters || {};
      var meta = await this.init();
      var fixed = await this.correctedRuns(query);
      var parsed = parseRuns(fixed.runs);
      var terms = parsed.unigrams.map(function (u) { return u.folded; });
      var exact = {};
      parsed.unigrams.forEach(function (u) { if (u.accented) exact[u.folded] = u.accented; });
      var empty = { ids: [], total: 0, partial: false, terms: terms, exact: exact, corrected: fixed.corrected, counts: [] };
      if (!terms.length) return empty;
      var accented = parsed.unigrams.map(function (u) { return u.accented; }).filter(Boolean);
      var facets = [];
      if (filters.year) facets.push('y:' + filters.year);
      if (filters.unit) facets.push(filters.unit);
      var keys = terms.concat(parsed.bigrams, accented, facets);
      parsed.bigrams.forEach(function (b) {
        var p = parentTerm(b);
        if (keys.indexOf(p) < 0) keys.push(p);
      });
      var shards = await Promise.all(keys.map(this.shard, this));
      var byKey = new Map();
      keys.forEach(function (k, i) { byKey.set(k, shards[i]); });
      var docsOf = new Map();
      var acc = new Accumulator(meta.docs);
      var wmax = meta.wmax;
      var idf = function (df) { return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5)); };
      var postings = function (key, visit) {
        var shard = byKey.get(key);
        var entry = shard ? shard.dir.get(key) : null;
        if (!entry) return new Uint32Array(0);
        var parent = null;
        if (shard.bytes[entry.start] & FLAG_RELATIVE) {
          var p = parentTerm(key);
          parent = p === null ? null : docsOf.has(p) ? docsOf.get(p) : postings(p, null);
        }
        var docs = decodePostings(shard.bytes, entry, wmax, visit && visit.bind(null, idf(entry.df)), parent);
        docsOf.set(key, docs);
        return docs;
      };
      parsed.unigrams.forEach(function (u) {
        postings(u.folded, function (w, d, x, inName) { acc.unigram(d, w * x * (inName ? NAME_BOOST : 1), inName); });
        if (u.accented) postings(u.accented, function (w, d) { acc.accent(d); });
      });
      parsed.bigrams.forEach(function (b) {
        postings(b, function (w, d, x, inName) { acc.phrase(d, BIGRAM_BOOST * w * x * (inName ? NAME_BOOST : 1), inName); });
      });
      var res = acc.ranked(terms.length);
      var allowed = facets.map(function (f) {
        var set = new Set();
        postings(f, function (w, d) { set.add(d); });
        return set;
      });
      var ids = res.ids.filter(function (d) { return allowed.every(function (set) { return set.has(d); }); });
      var counts = meta.kinds.map(function () { return 0; });
      var kindOf = kindLookup(meta);
      ids.forEach(function (d) { counts[kindOf(d)]++; });
      if (filters.kind !== undefined && filters.kind !== null && filters.kind !== '') {
        ids = ids.filter(function (d) { return kindOf(d) === filters.kind; });
      }
      return { ids: ids, total: ids.length, partial: res.partial, terms: terms, exact: exact,
        corrected: fixed.corrected, counts: counts };
    }

    /** Display rows {url, title, kind, context, excerpt} for doc ids, in the same order. */
    async fragments(ids) {
      var meta = await this.init();
      var self = this;
      var rows = await Promise.all(ids.map(function (id) {
        var group = Math.floor(id / meta.group);
        if (!self.groups.has(group)) {
          var p = self.loader.bytes('f/' + group + '.json.gz').then(gunzipJson);
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

  /** doc id → kind index, from meta.runs ([[kind, count], …] in doc-id order). */
  function kindLookup(meta) {
    var ends = [];
    var kinds = [];
    var end = 0;
    (meta.runs || []).forEach(function (r) { end += r[1]; ends.push(end); kinds.push(r[0]); });
    return function (d) {
      var lo = 0, hi = ends.length - 1;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (d < ends[mid]) hi = mid; else lo = mid + 1;
      }
      return kinds.length ? kinds[lo] : 0;
    };
  }

  /** Per-doc ranking keys in typed arrays, so a very common term costs no allocations. */
  class Accumulator {
    constructor(n) {
      this.cover = new Uint8Array(n);
      this.names = new Uint8Array(n);
      this.phrases = new Uint8Array(n);
      this.accents = new Uint8Array(n);
      this.score = new Float64Array(n);
      this.touched = [];
    }

    unigram(d, s, inName) {
      if (d >= this.cover.length) return;
      if (this.cover[d] === 0 && this.accents[d] === 0) this.touched.push(d);
      this.cover[d]++;
      if (inName) this.names[d]++;
      this.score[d] += s;
    }

    accent(d) {
      if (d >= this.cover.length) return;
      if (this.cover[d] === 0 && this.accents[d] === 0) this.touched.push(d);
      this.accents[d]++;
    }

    phrase(d, s, inName) {
      if (d >= this.cover.length || (this.cover[d] === 0 && this.accents[d] === 0)) return;
      this.phrases[d]++;
      if (inName) this.names[d]++;
      this.score[d] += s;
    }

    /**
     * Entries with every syllable (or, if none has all, those with any), ordered by syllables
     * matched, syllables and pairs in the name field, pairs (phrases) anywhere, exact-accent
     * matches, score, then doc id.
     */
    ranked(full) {
      var c = this.cover, n = this.names, p = this.phrases, a = this.accents, s = this.score;
      var anyFull = this.touched.some(function (d) { return c[d] === full; });
      var ids = anyFull ? this.touched.filter(function (d) { return c[d] === full; }) : this.touched.slice();
      ids.sort(function (x, y) {
        return (c[y] - c[x]) || (n[y] - n[x]) || (p[y] - p[x]) || (a[y] - a[x]) || (s[y] - s[x]) || (x - y);
      });
      return { ids: ids, partial: !anyFull && ids.length > 0 };
    }
  }

  // ---- snippets ----

  /**
   * Splits text into [{text, hit}] pieces; a word is a hit when it folds to a query term and,
   * if that term was typed with diacritics (`exact`: folded → accented), is spelled so.
   */
  function highlightSegments(text, terms, exact) {
    var wanted = new Set(terms);
    exact = exact || {};
    var out = [];
    var plain = '';
    var word = '';
    function flushWord() {
      if (!word) return;
      var nfc = word.normalize('NFC');
      var hit = foldWord(nfc).split(' ').some(function (p) {
        return wanted.has(p) && (!exact[p] || nfc.toLowerCase() === exact[p]);
      });
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
  function snippetText(text, terms, exact) {
    var chars = Array.from(String(text));
    if (chars.length <= SNIPPET_CHARS) return chars.join('');
    var first = 0;
    var offset = 0;
    var segs = highlightSegments(text, terms, exact);
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

  /**
   * A fragment file's rows. Its bytes are gzip, unless the host already undid that: some
   * send `.gz` files with `Content-Encoding: gzip`, and the browser then hands over JSON.
   */
  async function gunzipJson(bytes) {
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return JSON.parse(new TextDecoder().decode(bytes));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
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

  function appendHighlighted(parent, text, terms, exact) {
    highlightSegments(text, terms, exact).forEach(function (seg) {
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

  function renderResult(row, res, root) {
    var terms = res.terms;
    var li = document.createElement('li');
    li.className = 'search-result';
    var link = document.createElement('a');
    link.className = 'search-result-title';
    link.href = resultHref(root, row.url);
    appendHighlighted(link, row.title || row.url, terms, res.exact);
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
      appendHighlighted(snippet, snippetText(row.excerpt, terms, res.exact), terms, res.exact);
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

  /**
   * The first `size` ids of each kind, kinds ordered by their best-ranked result (so the kind
   * a reader most likely means comes first): [{kind, ids}], from ids in rank order.
   */
  function groupByKind(ids, kindOf, size) {
    var groups = [];
    var byKind = new Map();
    ids.forEach(function (d) {
      var k = kindOf(d);
      var g = byKind.get(k);
      if (!g) {
        g = { kind: k, ids: [] };
        byKind.set(k, g);
        groups.push(g);
      }
      if (g.ids.length < size) g.ids.push(d);
    });
    return groups;
  }

  /** "3 văn bản, 12 nhiệm vụ" from per-kind counts (kinds with none are left out). */
  function countsText(counts, kinds) {
    return (counts || []).map(function (n, k) {
      return n ? formatCount(n) + ' ' + String(kinds[k] || '').toLowerCase() : '';
    }).filter(Boolean).join(', ');
  }

  function statusText(res, query, kinds) {
    var q = '“' + query + '”';
    var fixed = res.corrected ? ' (đã sửa lỗi gõ: tìm “' + res.terms.join(' ') + '”)' : '';
    var byKind = kinds ? countsText(res.counts, kinds) : '';
    if (!res.total) {
      return 'Không tìm thấy kết quả cho ' + q + fixed + (byKind ? ' với bộ lọc đã chọn; bỏ lọc có ' + byKind + '.' : '.');
    }
    var found = formatCount(res.total) + (res.partial ? ' kết quả gần đúng' : ' kết quả');
    var head = res.partial ? 'Không có kết quả chứa đủ mọi từ; tìm thấy ' : 'Tìm thấy ';
    return head + found + ' cho ' + q + fixed + (byKind ? ': ' + byKind + '.' : '.');
  }

  /** The search state as URL parameters: q, loai (kind slug), nam (year), dv (unit slug). */
  function replaceStateInUrl(state) {
    try {
      var url = new URL(location.href);
      [['q', state.query], ['loai', state.kind], ['nam', state.year], ['dv', state.unit]].forEach(function (kv) {
        if (kv[1]) url.searchParams.set(kv[0], kv[1]);
        else url.searchParams.delete(kv[0]);
      });
      history.replaceState(history.state, '', url.href);
    } catch (e) {
      // Some browsers refuse replaceState on file:// pages; sharing the URL is a nicety.
    }
  }

  /** "Văn bản" → "van-ban": the URL spelling of a kind. */
  function kindSlug(name) {
    return foldWord(name).replace(/ /g, '-');
  }

  /** Adds <option>s [value, label] to a <select>, keeping its first ("all") option. */
  function fillSelect(select, options, selected) {
    while (select.options.length > 1) select.remove(1);
    options.forEach(function (o) {
      var opt = document.createElement('option');
      opt.value = o[0];
      opt.textContent = o[1];
      select.appendChild(opt);
    });
    if (selected !== undefined) select.value = selected;
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
    var filtersBox = document.getElementById('search-filters');
    var yearSelect = document.getElementById('search-year');
    var unitSelect = document.getElementById('search-unit');
    var kindRadios = form.querySelectorAll('input[name="loai"]');
    var params = new URL(location.href).searchParams;
    var unitsLoaded = null;

    /** Loads u.json into the unit filter once (on first use, or for a unit in the URL). */
    function loadUnits() {
      if (!unitSelect) return Promise.resolve();
      if (!unitsLoaded) {
        var want = unitSelect.value || (params.get('dv') ? 'u:' + params.get('dv') : '');
        unitsLoaded = searcher.loader.json('u.json').then(function (units) {
          fillSelect(unitSelect, units, want);
        });
        unitsLoaded.catch(function () { unitsLoaded = null; });
      }
      return unitsLoaded;
    }

    function filters() {
      var kind = '';
      kindRadios.forEach(function (r) { if (r.checked) kind = r.value; });
      var kindIndex = '';
      if (kind && searcher.meta) {
        searcher.meta.kinds.forEach(function (name, i) { if (kindSlug(name) === kind) kindIndex = i; });
      }
      var unit = unitSelect ? unitSelect.value : '';
      return {
        slugs: { kind: kind, year: yearSelect ? yearSelect.value : '', unit: unit.replace(/^u:/, '') },
        search: { kind: kindIndex, year: yearSelect ? yearSelect.value : '', unit: unit },
      };
    }

    /** Per-kind counts beside the kind radios ("" = all kinds). */
    function showCounts(res) {
      if (!filtersBox || !searcher.meta) return;
      var total = 0;
      var bySlug = {};
      searcher.meta.kinds.forEach(function (name, i) {
        var n = (res && res.counts && res.counts[i]) || 0;
        bySlug[kindSlug(name)] = n;
        total += n;
      });
      filtersBox.querySelectorAll('.search-count').forEach(function (el) {
        var slug = el.getAttribute('data-kind');
        el.textContent = res ? '(' + formatCount(slug ? bySlug[slug] || 0 : total) + ')' : '';
      });
    }

    if (filtersBox) {
      kindRadios.forEach(function (r) { r.checked = r.value === (params.get('loai') || ''); });
      if (yearSelect && params.get('nam')) fillSelect(yearSelect, [[params.get('nam'), params.get('nam')]], params.get('nam'));
      if (unitSelect && params.get('dv')) {
        fillSelect(unitSelect, [['u:' + params.get('dv'), params.get('dv')]], 'u:' + params.get('dv'));
        loadUnits();
      }
      if (unitSelect) {
        unitSelect.addEventListener('focus', loadUnits);
        unitSelect.addEventListener('pointerdown', loadUnits);
      }
      searcher.init().then(function (meta) {
        if (yearSelect) {
          var years = (meta.years || []).slice().reverse().map(function (y) { return [String(y), String(y)]; });
          fillSelect(yearSelect, years, params.get('nam') || yearSelect.value);
        }
        filtersBox.hidden = false;
      }).catch(function () { /* the search itself reports the error */ });
      filtersBox.addEventListener('change', function () {
        clearTimeout(debounce);
        run(input.value, true);
      });
    }
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'search-more';
    more.textContent = 'Xem thêm kết quả';
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    var seq = 0;
    var current = null;
    var debounce = 0;

    /** Shows one section per kind: heading with the count, its best rows, a link to all. */
    async function showGroups(my, res) {
      var meta = searcher.meta;
      var kindOf = kindLookup(meta);
      var groups = groupByKind(res.ids, kindOf, GROUP_SIZE);
      var rows = await searcher.fragments(groups.reduce(function (all, g) { return all.concat(g.ids); }, []));
      if (my !== seq) return;
      var at = 0;
      groups.forEach(function (g, i) {
        var name = meta.kinds[g.kind] || '';
        var count = res.counts[g.kind] || g.ids.length;
        var section = document.createElement('li');
        section.className = 'search-group';
        var heading = document.createElement('h2');
        heading.id = 'search-group-' + i;
        heading.textContent = name + ' (' + formatCount(count) + ')';
        section.appendChild(heading);
        var ol = document.createElement('ol');
        ol.setAttribute('aria-labelledby', heading.id);
        g.ids.forEach(function () { ol.appendChild(renderResult(rows[at++], res, root)); });
        section.appendChild(ol);
        if (count > g.ids.length) {
          var all = document.createElement('a');
          all.className = 'search-all';
          var url = new URL(location.href);
          url.searchParams.set('loai', kindSlug(name));
          all.href = url.href;
          all.textContent = 'Xem tất cả ' + formatCount(count) + ' ' + name.toLowerCase();
          all.addEventListener('click', function (event) {
            event.preventDefault();
            kindRadios.forEach(function (r) { r.checked = r.value === kindSlug(name); });
            run(input.value, true);
          });
          section.appendChild(all);
        }
        list.appendChild(section);
      });
    }

    async function showNext(my, moveFocus) {
      var ids = current.res.ids.slice(current.shown, current.shown + PAGE_SIZE);
      var rows = await searcher.fragments(ids);
      if (my !== seq) return;
      var firstLink = null;
      rows.forEach(function (row) {
        var li = renderResult(row, current.res, root);
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
      var f = filters();
      if (updateUrl) replaceStateInUrl({ query: query, kind: f.slugs.kind, year: f.slugs.year, unit: f.slugs.unit });
      var loading = setTimeout(function () {
        if (my === seq) status.textContent = 'Đang tải…';
      }, LOADING_DELAY_MS);
      try {
        if (!query) {
          current = null;
          list.textContent = '';
          more.hidden = true;
          status.textContent = '';
          showCounts(null);
          return;
        }
        list.setAttribute('aria-busy', 'true');
        await searcher.init();
        var res = await searcher.search(query, filters().search);
        if (my !== seq) return;
        showCounts(res);
        current = { res: res, shown: 0 };
        list.textContent = '';
        more.hidden = true;
        var kindsFound = res.counts.filter(function (n) { return n > 0; }).length;
        var grouped = f.slugs.kind === '' && kindsFound > 1;
        list.classList.toggle('grouped', grouped);
        if (res.total && grouped) await showGroups(my, res);
        else if (res.total) await showNext(my, false);
        if (my === seq) status.textContent = statusText(res, query, searcher.meta.kinds);
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

    var initial = params.get('q');
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
    oneEdit: oneEdit,
    countsText: countsText,
    groupByKind: groupByKind,
    fnv1a: fnv1a,
    readShard: readShard,
    gunzipJson: gunzipJson,
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
