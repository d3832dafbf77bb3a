// pactbase: small enhancements. Every page works without this script.
(function () {
  "use strict";
  var form = document.getElementById("network-form");
  if (!form) return;
  var year = document.getElementById("year");
  var level = document.getElementById("level");
  var kind = document.getElementById("kind");
  var out = document.getElementById("year-out");
  var view = document.getElementById("network-view");
  var pending = null;
  function load() {
    var params = "year=" + encodeURIComponent(year.value) + "&level=" + encodeURIComponent(level.value) +
      "&kind=" + encodeURIComponent(kind.value);
    if (pending) pending.abort();
    pending = new AbortController();
    view.setAttribute("aria-busy", "true");
    fetch("/network/fragment?" + params, { signal: pending.signal })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        view.innerHTML = html;
        view.setAttribute("aria-busy", "false");
        history.replaceState(null, "", "/network?" + params);
      })
      .catch(function (e) { if (e.name !== "AbortError") form.submit(); });
  }
  year.addEventListener("input", function () { out.textContent = year.value; });
  year.addEventListener("change", load);
  level.addEventListener("change", load);
  kind.addEventListener("change", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  form.setAttribute("data-enhanced", "true");
})();
