// pactbase: small enhancements. Every page works without this script.
(function () {
  "use strict";

  // Charts and drawings as PNG, drawn from the figure's (wide) SVG at twice its size.
  document.querySelectorAll("figure .png").forEach(function (slot) {
    var button = slot.querySelector("button");
    var figure = slot.closest("figure");
    slot.hidden = false;
    button.addEventListener("click", function () {
      var svg = figure.querySelector(".wide svg") || figure.querySelector("svg");
      var box = svg.viewBox.baseVal;
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = box.width * 2;
        canvas.height = box.height * 2;
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        var link = document.createElement("a");
        link.href = canvas.toDataURL("image/png");
        link.download = button.dataset.figure + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    });
  });

  // The network explorer: year, focus, level and kind without a reload.
  var form = document.getElementById("network-form");
  if (!form) return;
  var year = document.getElementById("year");
  var focus = document.getElementById("focus-state");
  var level = document.getElementById("level");
  var kind = document.getElementById("kind");
  var out = document.getElementById("year-out");
  var view = document.getElementById("network-view");
  var pending = null;
  function load() {
    var params = "year=" + encodeURIComponent(year.value) + "&focus=" + encodeURIComponent(focus.value) +
      "&level=" + encodeURIComponent(level.value) + "&kind=" + encodeURIComponent(kind.value);
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
  focus.addEventListener("change", load);
  level.addEventListener("change", load);
  kind.addEventListener("change", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  form.setAttribute("data-enhanced", "true");
})();
