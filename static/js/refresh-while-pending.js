/* Stapportaal: keep a progress page up to date without reloading it (no meta refresh).
 *
 * The page marks the parts that may change with data-refresh-part (each with an id) and,
 * while work is still going on, one element with data-pending="<seconds>". Every few
 * seconds this script fetches the same page and swaps the contents of those parts; it stops
 * once the fetched page no longer says data-pending. A button lets the reader stop and
 * resume the updates (WCAG 2.2.2). Without JavaScript the page's own "Vernieuwen" link
 * does the same by hand. */
(function () {
  "use strict";

  var pending = document.querySelector("[data-pending]");
  if (!pending || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = Math.max(2, parseInt(pending.getAttribute("data-pending"), 10) || 3);
  var timer = null;
  var paused = false;
  var controls = document.getElementById("vernieuwen");
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "button button--secondary";

  function label() {
    toggle.textContent = paused ? "Automatisch bijwerken hervatten"
                                : "Automatisch bijwerken stoppen";
    toggle.setAttribute("aria-pressed", paused ? "true" : "false");
  }

  function stillPending(doc) {
    return doc.querySelector("[data-pending]") !== null;
  }

  function swap(doc) {
    var parts = document.querySelectorAll("[data-refresh-part][id]");
    Array.prototype.forEach.call(parts, function (part) {
      var fresh = doc.getElementById(part.id);
      if (!fresh) {
        return;
      }
      if (part === controls) {
        return; /* the controls stay; they are removed below when the work is done */
      }
      if (part.innerHTML !== fresh.innerHTML) {
        part.innerHTML = fresh.innerHTML;
      }
    });
  }

  function done() {
    pending.removeAttribute("data-pending");
    if (controls) {
      controls.innerHTML = "";
    }
  }

  function update() {
    timer = null;
    fetch(window.location.href, {credentials: "same-origin", cache: "no-store",
                                 headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        swap(doc);
        if (stillPending(doc)) {
          schedule();
        } else {
          done();
        }
      })
      .catch(function () {
        schedule(); /* a hiccup in the network: try again at the next interval */
      });
  }

  function schedule() {
    if (!paused && timer === null) {
      timer = window.setTimeout(update, seconds * 1000);
    }
  }

  toggle.addEventListener("click", function () {
    paused = !paused;
    if (paused && timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    label();
    schedule();
  });

  label();
  if (controls) {
    controls.appendChild(toggle);
  }
  schedule();
}());
