(function () {
  'use strict';
  function overlay(errors) {
    var old = document.getElementById('cchc-overlay');
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement('div');
    box.id = 'cchc-overlay';
    box.setAttribute('role', 'alert');
    box.style.cssText = 'position:fixed;inset:0;background:rgba(20,20,20,.92);color:#fff;padding:2rem;overflow:auto;z-index:99999;font:14px/1.5 monospace;white-space:pre-wrap';
    box.textContent = 'cchc: bản dựng có lỗi (trang đang hiển thị bản cũ)\n\n' + errors.join('\n\n');
    document.body.appendChild(box);
  }
  function status() {
    fetch('/__cchc/status').then(function (r) { return r.json(); }).then(function (s) { overlay(s.errors || []); }).catch(function () {});
  }
  var es = new EventSource('/__cchc/events');
  function key() {
    var p = decodeURIComponent(location.pathname).replace(/^\/+/, '');
    return (p === '' || p.slice(-1) === '/') ? p + 'index.html' : p;
  }
  es.onmessage = function (e) {
    if (e.data === 'reload') { location.reload(); return; }
    if (e.data.indexOf('changed ') === 0) {
      var paths = JSON.parse(e.data.slice(8));
      if (paths.indexOf(key()) >= 0) { location.reload(); return; }
    }
    status();
  };
  status();
})();
