/* A job that has not ended: its status part is fetched again every few seconds and replaced in
   place (read out politely by screen readers when it changed), until the job ends. The
   "暂停自动更新" button stops and restarts it (WCAG 2.2.2). Without script the page has a refresh link. */
(function () {
  "use strict";
  var region = document.getElementById("job-status");
  if (!region || region.getAttribute("data-finished") === "true") return;
  var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10) || 3;
  var toggle = document.getElementById("job-refresh-toggle");
  var paused = false;
  var timer = null;

  function schedule() {
    timer = window.setTimeout(update, seconds * 1000);
  }

  function update() {
    // Marked as the page's own request: it does not keep an idle session alive (tenants/sessions.py).
    fetch(window.location.pathname, {
      credentials: "same-origin", cache: "no-store", headers: { "X-Background-Refresh": "1" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-status");
        if (!fresh) return;
        if (fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML;
        var finished = fresh.getAttribute("data-finished") === "true";
        region.setAttribute("data-finished", String(finished));
        if (finished) {
          if (toggle) toggle.hidden = true;
        } else if (!paused) {
          schedule();
        }
      })
      .catch(function () {
        if (!paused) schedule(); // the console restarting, a dropped connection: try again
      });
  }

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      paused = !paused;
      toggle.textContent = paused ? "继续自动更新" : "暂停自动更新";
      toggle.setAttribute("aria-pressed", String(paused));
      if (paused) {
        window.clearTimeout(timer);
      } else {
        update();
      }
    });
  }
  schedule();
})();
