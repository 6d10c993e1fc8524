// cchc: small progressive enhancements. The pages work without this file.
// 1. Re-label deadline badges against the reader's own date, so a portal built last month
//    does not say "sắp đến hạn" for a task that is now overdue.
// 2. Quick filter of the task table on the current page.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  // States by their class (`s-cb`, render/rows.rs `state_class`), named as the full record
  // names them; compact list rows (a `<td>` that is its own badge) name "chưa báo cáo" shorter
  // (render/rows.rs `list_label`).
  var LABELS = {
    qh: 'Quá hạn',
    cb: 'Đã đến hạn — chưa có báo cáo kết quả',
    sd: 'Sắp đến hạn',
    dt: 'Đang thực hiện',
    cd: 'Chưa đến hạn'
  };
  var LIST_LABELS = { cb: 'Chưa báo cáo' };
  // States that come from a report and do not change with the reader's date.
  var REPORTED = { ht: 1, td: 1, kt: 1, qh: 1 };
  var SOON_DAYS = 30;

  function isoToday() {
    var d = new Date();
    var m = String(d.getMonth() + 1).padStart(2, '0');
    var day = String(d.getDate()).padStart(2, '0');
    return d.getFullYear() + '-' + m + '-' + day;
  }

  function addDays(iso, n) {
    var parts = iso.split('-');
    var d = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2] + n));
    return d.toISOString().slice(0, 10);
  }

  function relabel() {
    var today = isoToday();
    var soon = addDays(today, SOON_DAYS);
    // The state is the badge's `s-…` class (written once, to keep list pages small); only
    // a state that can move carries its deadline's end in `data-end`.
    var badges = document.querySelectorAll('[data-end]');
    for (var i = 0; i < badges.length; i++) {
      var b = badges[i];
      var m = /(?:^|\s)s-([a-z]+)/.exec(b.className);
      var was = m ? m[1] : '';
      if (!was || REPORTED[was]) continue;
      var end = b.getAttribute('data-end');
      if (!end) continue;
      // A deadline that passed since the build has no report after it: "chưa báo cáo",
      // never "quá hạn" (only a report can say that).
      var state = end < today ? 'cb' :
        (end <= soon ? 'sd' : (was === 'dt' ? was : 'cd'));
      if (state === was) continue;
      b.classList.remove('s-' + was);
      b.classList.add('s-' + state);
      b.textContent = (b.tagName === 'TD' && LIST_LABELS[state]) || LABELS[state];
    }
  }

  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }

  function quickFilter() {
    var inputs = document.querySelectorAll('input[data-filter-table]');
    Array.prototype.forEach.call(inputs, function (input) {
      var box = document.getElementById(input.getAttribute('data-filter-table'));
      if (!box) return;
      input.addEventListener('input', function () {
        var q = fold(input.value.trim());
        var rows = box.querySelectorAll('tbody tr:not(.group-row)');
        for (var i = 0; i < rows.length; i++) {
          rows[i].hidden = q !== '' && fold(rows[i].textContent).indexOf(q) === -1;
        }
      });
    });
  }

  function start() {
    relabel();
    quickFilter();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
