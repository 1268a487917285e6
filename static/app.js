// Progressive enhancement only: every page works without this file, with
// plain links to YouTube moments. No third-party script is loaded; the
// player is YouTube's privacy-enhanced embed, framed only when the reader
// asks for it, and driven through its postMessage protocol.
"use strict";

// A thumbnail that fails to load (deleted video, offline) shows the neat
// placeholder behind it instead of a broken-image icon.
(function () {
  function broken(img) {
    img.closest(".thumb")?.classList.add("thumb-missing");
  }
  document.addEventListener("error", function (e) {
    if (e.target instanceof HTMLImageElement) broken(e.target);
  }, true);
  document.querySelectorAll(".thumb img").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) broken(img);
  });
})();

// Keyboard: "/" finds the search box, Esc leaves it, j and k (n and p
// too) move between hits (results, or matches in a transcript, where the
// line stepped to is marked as current); Enter opens the focused one, as
// links do. Nothing fires while typing in a field.
(function () {
  var hits = Array.from(document.querySelectorAll(
    "ol.results li.hit h2 a, .group-hits a.snippet, ol.transcript li.match a.ts"));
  var current = -1;
  // A transcript opened at a match (#t82 from a result) steps on from it.
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target) {
    hits.forEach(function (a, i) { if (a.closest("li") === target) current = i; });
  }
  function typing(el) {
    return el && el.closest && el.closest("input, textarea, select, [contenteditable]");
  }
  var next = { j: 1, n: 1, k: -1, p: -1 };
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    if (e.key === "/") {
      var box = document.querySelector(".in-video input[name=q]") || document.querySelector("header input[name=q]");
      if (box) {
        e.preventDefault();
        box.focus();
        box.select();
      }
    } else if (next[e.key] && hits.length) {
      e.preventDefault();
      var i = hits.indexOf(document.activeElement);
      if (i < 0) i = current;
      current = next[e.key] > 0 ? Math.min(hits.length - 1, i + 1) : Math.max(0, i - 1);
      var line = hits[current].closest("ol.transcript li");
      if (line) {
        document.querySelectorAll("ol.transcript li.current").forEach(function (li) { li.classList.remove("current"); });
        line.classList.add("current");
      }
      hits[current].focus();
      hits[current].scrollIntoView({ block: line ? "center" : "nearest" });
    }
  });
})();

// Copy a moment: each line's "link" copies our own URL of that moment and
// says so; without the clipboard it stays a plain permalink.
(function () {
  if (!navigator.clipboard) return;
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.copy");
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigator.clipboard.writeText(a.href).then(function () {
      a.textContent = "copied";
      a.classList.add("copied");
      setTimeout(function () { a.textContent = "link"; a.classList.remove("copied"); }, 2000);
    }, function () {
      location.href = a.href; // no permission: follow the permalink
    });
  });
})();

// Quoting a passage: shift-click a line's "link" to quote from the marked
// line (the linked moment, else the last line whose link was clicked) to
// that one: the page of the passage, ?t=FROM-TO, as "quote to here" links
// there without JavaScript. On a passage's page, "Copy quote" copies it
// as text, with who said it and its link.
(function () {
  var transcript = document.querySelector("ol.transcript");
  if (!transcript) return;
  var anchor = transcript.querySelector("li.moment-line");
  transcript.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.copy");
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.altKey) return;
    var li = a.closest("li");
    if (!e.shiftKey || !anchor || anchor === li) {
      anchor = li;
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    var x = Number(anchor.dataset.start), y = Number(li.dataset.start);
    var from = Math.min(x, y), to = Math.max(x, y);
    location.href = location.pathname + "?t=" + from + "-" + to + "#t" + from;
  }, true);
  var text = document.querySelector("aside.quote textarea");
  if (!text || !navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-quote";
  button.textContent = "Copy quote";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(text.value).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy quote"; }, 2000);
    });
  });
  text.closest("details").before(button);
})();

// The player beside the transcript.
(function () {
  var box = document.getElementById("player");
  var button = document.querySelector(".watch-here");
  var transcript = document.querySelector("ol.transcript");
  if (!box || !button || !transcript) return;
  var lines = Array.from(transcript.querySelectorAll("li[data-start]"));
  var starts = lines.map(function (li) { return Number(li.dataset.start); });
  var follow = box.querySelector(".follow input");
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var frame = null, origin = "", speaking = null;

  // Where to start: ?t=898 (also 14m58s, 14:58) or #t898.
  function startAt() {
    var t = new URLSearchParams(location.search).get("t");
    if (t) {
      var m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(t);
      if (t.indexOf(":") >= 0) return t.split(":").reduce(function (a, p) { return a * 60 + Number(p); }, 0);
      if (m) return Number(m[1] || 0) * 3600 + Number(m[2] || 0) * 60 + Number(m[3] || 0);
    }
    var h = /^#t(\d+)$/.exec(location.hash);
    return h ? Number(h[1]) : 0;
  }
  // A moment URL opens scrolled to its line; a passage's, to the quote.
  var quote = document.querySelector("aside.quote");
  var moment = transcript.querySelector("li.moment-line");
  if (quote && !location.hash) quote.scrollIntoView({ block: "start" });
  else if (moment && !location.hash) moment.scrollIntoView({ block: "center" });

  function send(message) {
    if (frame) frame.contentWindow.postMessage(JSON.stringify(message), origin);
  }
  function command(func, args) {
    send({ event: "command", func: func, args: args || [], id: 1, channel: "widget" });
  }
  function load(start) {
    var url = new URL(box.dataset.player + encodeURIComponent(box.dataset.video));
    url.searchParams.set("enablejsapi", "1");
    url.searchParams.set("autoplay", "1");
    url.searchParams.set("start", String(Math.floor(start)));
    url.searchParams.set("origin", location.origin);
    origin = url.origin;
    frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = "Video player";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.addEventListener("load", function () {
      send({ event: "listening", id: 1, channel: "widget" });
    });
    box.querySelector(".player-frame").appendChild(frame);
    box.hidden = false;
    button.hidden = true;
    document.body.classList.add("watching");
  }
  function seek(seconds) {
    command("seekTo", [seconds, true]);
    command("playVideo");
    highlight(seconds, true);
  }
  // The line being spoken at t, highlighted and, while following, kept in
  // view.
  function highlight(t, jump) {
    var i = -1;
    for (var k = 0; k < starts.length && starts[k] <= t; k++) i = k;
    var line = i >= 0 ? lines[i] : null;
    if (line === speaking) return;
    if (speaking) speaking.classList.remove("speaking");
    speaking = line;
    if (!line) return;
    line.classList.add("speaking");
    if (follow.checked || jump) line.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
  }

  button.hidden = false;
  button.addEventListener("click", function () { load(startAt()); });
  window.addEventListener("message", function (e) {
    if (!frame || e.source !== frame.contentWindow) return;
    var data;
    try { data = typeof e.data === "string" ? JSON.parse(e.data) : e.data; } catch (err) { return; }
    if (data && data.event === "infoDelivery" && data.info && typeof data.info.currentTime === "number") {
      highlight(data.info.currentTime, false);
    }
  });
  // A timestamp seeks the player instead of leaving the page; a modified
  // or middle click still opens YouTube.
  transcript.addEventListener("click", function (e) {
    var a = e.target.closest("a.ts");
    if (!a || !frame || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    seek(Number(a.closest("li").dataset.start));
  });
  // Scrolling by hand stops following; the toggle turns it back on.
  ["wheel", "touchmove"].forEach(function (type) {
    window.addEventListener(type, function () { if (frame) follow.checked = false; }, { passive: true });
  });
})();
