// 会議モード: timers that tick on the tablet and the shared screen, and the room's small forms.
(function () {
  "use strict";
  var timers = {};

  function now() {
    return Date.now() / 1000;
  }

  function show(item) {
    var timer = timers[item.dataset.review];
    var elapsed = Math.floor(timer.base + (timer.running ? now() - timer.at : 0));
    var text = Math.floor(elapsed / 60) + ":" + String(elapsed % 60).padStart(2, "0");
    var over = elapsed > timer.planned;
    document.querySelectorAll(
      '[data-review="' + item.dataset.review + '"] [data-timer], [data-timer-for="' +
      item.dataset.review + '"]'
    ).forEach(function (node) { node.textContent = text; });
    item.classList.toggle("over", over);
    item.classList.toggle("running", timer.running);
    item.querySelectorAll("[data-over]").forEach(function (node) { node.hidden = !over; });
  }

  function items() {
    return document.querySelectorAll(".agenda-item[data-review]");
  }

  function start() {
    var offset = 0;
    items().forEach(function (item) {
      var serverNow = parseInt(item.dataset.now, 10);
      if (serverNow) {
        offset = now() - serverNow;
      }
      var started = parseInt(item.dataset.started, 10);
      var used = parseInt(item.dataset.used, 10) || 0;
      timers[item.dataset.review] = {
        base: used + (started ? Math.max(0, now() - offset - started) : 0),
        running: Boolean(started),
        at: now(),
        planned: parseInt(item.dataset.planned, 10) || 0,
      };
    });
    tick();
    window.setInterval(tick, 1000);
  }

  function tick() {
    items().forEach(show);
  }

  function apply(state) {
    state.reviews.forEach(function (review) {
      var timer = timers[review.id];
      if (timer) {
        timer.base = review.used;
        timer.running = review.running;
        timer.at = now();
      }
    });
    tick();
  }

  // A timer button answers with where the meeting stands (no content).
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.elt.closest("[data-timer-form]") || !event.detail.successful) {
      return;
    }
    apply(JSON.parse(event.detail.xhr.responseText));
  });

  // A refused save comes back with its error next to its field: show it (htmx would not).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The shared screen follows the room: a new case reloads it, the timer follows.
  function follow() {
    var body = document.body;
    if (!body.classList.contains("screen")) {
      return;
    }
    window.setInterval(function () {
      fetch(body.dataset.roomState, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) {
            return;
          }
          if (String(state.current || "") !== body.dataset.current) {
            window.location.reload();
          } else {
            apply(state);
          }
        })
        .catch(function () {});
    }, 3000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    start();
    follow();
  });
})();
