// Earshot agent workspace: keyboard, live updates, the privacy guard as
// you type, presence and drafts. No inline script; every piece of outside
// text is placed with textContent, never parsed as HTML.
(function () {
  "use strict";
  var page = document.getElementById("page");
  var info = page ? page.dataset : {};

  function typingTarget(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function post(url, body, type) {
    var opts = { method: "POST", credentials: "same-origin", headers: {} };
    if (body !== undefined) { opts.body = body; opts.headers["Content-Type"] = type || "application/json"; }
    return fetch(url, opts);
  }

  // Keyboard help.
  var keys = document.getElementById("keys");
  var showKeys = document.getElementById("show-keys");
  function openKeys() { if (keys && !keys.open) { keys.showModal(); } }
  if (showKeys) { showKeys.addEventListener("click", openKeys); }

  // ---- Live stream and the notifications badge ----
  // Each page opens at most one stream; every stream also carries "notify"
  // (a colleague @mentioned me) with my unread count for the badge.
  var badge = document.getElementById("unread");
  var stream = null;
  function liveStream(url) {
    stream = new EventSource(url);
    stream.addEventListener("notify", function (e) {
      var d = {};
      try { d = JSON.parse(e.data); } catch (err) { return; }
      var n = document.getElementById("unread-n");
      if (!badge || !n || typeof d.unread !== "number") { return; }
      n.textContent = String(d.unread);
      badge.hidden = d.unread === 0;
    });
    return stream;
  }

  // ---- Inbox ----
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#rows tr[data-href]")); }
  var selected = -1;
  function select(i) {
    var rs = rows();
    if (!rs.length) { return; }
    i = Math.max(0, Math.min(rs.length - 1, i));
    rs.forEach(function (r) { r.classList.remove("sel"); r.removeAttribute("aria-selected"); });
    rs[i].classList.add("sel");
    rs[i].setAttribute("aria-selected", "true");
    var a = rs[i].querySelector("a");
    if (a) { a.focus({ preventScroll: true }); }
    rs[i].scrollIntoView({ block: "nearest" });
    selected = i;
  }
  function openSelected(hash) {
    var rs = rows();
    if (selected >= 0 && rs[selected]) { location.href = rs[selected].dataset.href + (hash || ""); }
  }

  if (info.page === "inbox") {
    var tbody = document.getElementById("rows");
    tbody.addEventListener("click", function (e) {
      if (e.target.closest("a, button, input, select")) { return; }
      var tr = e.target.closest("tr[data-href]");
      if (tr) { location.href = tr.dataset.href; }
    });
    var live = document.getElementById("live");
    var pending = null;
    var refresh = function () {
      pending = null;
      var selHref = selected >= 0 && rows()[selected] ? rows()[selected].dataset.href : "";
      var before = {};
      rows().forEach(function (r) { before[r.dataset.href] = true; });
      fetch("/inbox/rows?" + (info.query || ""), { credentials: "same-origin" }).then(function (res) {
        if (!res.ok) { throw new Error("status " + res.status); }
        return res.text();
      }).then(function (html) {
        // Server-rendered by html/template (escaped); parsed inertly.
        var doc = new DOMParser().parseFromString("<table><tbody>" + html + "</tbody></table>", "text/html");
        var fresh = doc.querySelector("tbody");
        tbody.replaceChildren.apply(tbody, Array.prototype.slice.call(fresh.childNodes));
        var n = 0;
        rows().forEach(function (r, i) {
          if (!before[r.dataset.href]) { r.classList.add("fresh"); n++; }
          if (r.dataset.href === selHref) { select(i); }
        });
        if (n) { live.textContent = n + (n === 1 ? " new or changed case" : " new or changed cases") + " at " + new Date().toLocaleTimeString(); }
      }).catch(function () { live.textContent = "Live update failed; reload the page."; });
    };
    if (window.EventSource) {
      var es = liveStream("/events");
      var schedule = function () { if (!pending) { pending = setTimeout(refresh, 150); } };
      es.addEventListener("change", schedule);
      es.addEventListener("resync", schedule);
      es.addEventListener("open", function () { live.dataset.connected = "1"; });
      es.addEventListener("error", function () { delete live.dataset.connected; });
    }
  }

  // ---- Case page ----
  var caseID = info.page === "case" ? info["case"] : "";
  var replyText = document.getElementById("reply-text");
  var noteText = document.getElementById("note-text");

  function focusEl(id) {
    var el = document.getElementById(id);
    if (el) { el.scrollIntoView({ block: "center" }); el.focus(); }
  }

  if (caseID) {
    var hashes = { "#reply": "reply-text", "#note": "note-text", "#assign": "h-team" };
    if (hashes[location.hash]) { focusEl(hashes[location.hash]); }
    var tz = document.getElementById("tz-offset");
    if (tz) { tz.value = String(new Date().getTimezoneOffset()); }

    // Drafts survive a reload; a sent reply or note clears its draft.
    var draftKey = "earshot:draft:" + caseID, noteKey = "earshot:note:" + caseID;
    var done = new URLSearchParams(location.search).get("done");
    try {
      if (done === "reply" || done === "held") { localStorage.removeItem(draftKey); }
      if (done === "note") { localStorage.removeItem(noteKey); }
      if (replyText && !replyText.value && localStorage.getItem(draftKey)) { replyText.value = localStorage.getItem(draftKey); }
      if (noteText && !noteText.value && localStorage.getItem(noteKey)) { noteText.value = localStorage.getItem(noteKey); }
    } catch (e) { /* storage may be off */ }
    function keep(el, key) {
      if (!el) { return; }
      el.addEventListener("input", function () {
        try { if (el.value) { localStorage.setItem(key, el.value); } else { localStorage.removeItem(key); } } catch (e) { /* ignore */ }
      });
    }
    keep(replyText, draftKey);
    keep(noteText, noteKey);

    // Presence: who else views and types here.
    var presence = document.getElementById("presence");
    var changed = document.getElementById("changed");
    if (window.EventSource) {
      var ces = liveStream("/events?case=" + encodeURIComponent(caseID));
      ces.addEventListener("presence", function (e) {
        var list = [];
        try { list = JSON.parse(e.data) || []; } catch (err) { return; }
        var others = list.filter(function (p) { return p.name !== info.me; });
        var typing = others.filter(function (p) { return p.typing; }).map(function (p) { return p.name; });
        var viewing = others.map(function (p) { return p.name; });
        var parts = [];
        if (viewing.length) { parts.push("Also viewing: " + viewing.join(", ")); }
        if (typing.length) { parts.push(typing.join(", ") + (typing.length === 1 ? " is" : " are") + " typing a reply"); }
        presence.textContent = parts.join(" · ");
        if (typing.length) { setTimeout(function () { presence.textContent = viewing.length ? "Also viewing: " + viewing.join(", ") : ""; }, 7000); }
      });
      ces.addEventListener("change", function (e) {
        var ev = {};
        try { ev = JSON.parse(e.data); } catch (err) { return; }
        if (String(ev.case_id) === String(caseID)) { changed.hidden = false; }
      });
    }

    // The privacy guard as the agent types.
    var guardBox = document.getElementById("guard");
    var reasonBox = document.getElementById("reason-box");
    var form = document.getElementById("reply-form");
    var enc = new TextEncoder(), dec = new TextDecoder();
    function visibility() {
      var v = form && form.querySelector("input[name=visibility]:checked");
      return v ? v.value : "public";
    }
    function showMarked(text, spans) {
      var bytes = enc.encode(text), pos = 0;
      var p = document.createElement("p");
      p.className = "marked";
      spans.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (s) {
        if (s.start < pos) { return; }
        p.appendChild(document.createTextNode(dec.decode(bytes.slice(pos, s.start))));
        var m = document.createElement("mark");
        if (s.char) {
          // An invisible character is shown by its name, not as itself.
          m.className = "hidden-char";
          m.textContent = "[" + s.char + " " + s.name + "]";
        } else {
          m.className = "phi";
          m.textContent = dec.decode(bytes.slice(s.start, s.end));
        }
        p.appendChild(m);
        pos = s.end;
      });
      p.appendChild(document.createTextNode(dec.decode(bytes.slice(pos))));
      return p;
    }
    var checkTimer = null, lastTyping = 0;
    function check() {
      checkTimer = null;
      var text = replyText.value;
      if (!text.trim()) { guardBox.replaceChildren(); return; }
      post("/guard", JSON.stringify({ text: text, visibility: visibility(), crisis: info.critical === "1" })).then(function (res) {
        return res.ok ? res.json() : null;
      }).then(function (r) {
        if (!r || replyText.value !== text) { return; }
        var msg = document.createElement("p");
        guardBox.replaceChildren(msg);
        if (r.hidden && r.hidden.length) {
          msg.className = "blocked";
          msg.textContent = "Blocked: this public reply contains hidden characters that change how it is shown (marked). Remove them or reply privately.";
          guardBox.appendChild(showMarked(text, r.hidden));
        } else if (r.blocked) {
          msg.className = "blocked";
          msg.textContent = "Blocked: this public reply contains health information (marked). Remove it or reply privately.";
          guardBox.appendChild(showMarked(text, r.phi || []));
        } else if (r.crisis && r.crisis.length) {
          msg.className = "blocked";
          msg.textContent = "Blocked: this case is a crisis, and this public reply discusses it (marked). Reply privately, or send the crisis protocol's public reply.";
          guardBox.appendChild(showMarked(text, r.crisis));
          guardBox.appendChild(reasonList(r.crisis));
        } else if (r.needs_reason) {
          msg.className = "warn";
          msg.textContent = "Warning: " + r.warnings.map(function (w) { return "“" + w.phrase + "”"; }).join(", ") +
            " confirms a patient or member relationship in public. Rephrase, go private, or give a reason.";
          guardBox.appendChild(showMarked(text, r.warnings));
        } else {
          msg.className = "safe";
          msg.textContent = visibility() === "private" ? "Private reply: details are allowed here." : "No privacy problems found.";
        }
        if (r.reasons && r.reasons.length && (r.blocked || r.needs_reason)) { guardBox.appendChild(reasonList(r.reasons)); }
        if (r.suggestion) { guardBox.appendChild(suggestionBox(r.suggestion)); }
        if (reasonBox) { reasonBox.hidden = !r.needs_reason; }
      }).catch(function () { /* the server checks again on send */ });
    }
    // Why the guard marked each span, and the reply it suggests instead.
    function reasonList(reasons) {
      var ul = document.createElement("ul");
      ul.className = "reasons";
      reasons.forEach(function (x) {
        var li = document.createElement("li"), q = document.createElement("q");
        q.textContent = x.phrase;
        li.appendChild(q);
        li.appendChild(document.createTextNode(": " + x.why));
        ul.appendChild(li);
      });
      return ul;
    }
    function suggestionBox(text) {
      var box = document.createElement("div"), p = document.createElement("p"), q = document.createElement("blockquote"), b = document.createElement("button");
      box.className = "suggestion";
      p.textContent = "Suggested reply:";
      q.className = "suggestion-text";
      q.textContent = text;
      b.type = "button";
      b.className = "use-suggestion";
      b.textContent = "Use suggestion";
      box.append(p, q, b);
      return box;
    }
    // "Use suggestion" (and the crisis panel's public reply) puts the
    // text in the composer; the agent still sends it.
    document.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest(".use-suggestion");
      if (!b || !replyText) { return; }
      var holder = b.closest(".suggestion, .crisis-panel");
      var src = holder && holder.querySelector(".suggestion-text");
      if (!src) { return; }
      if (b.dataset.public) {
        var pub = form && form.querySelector("input[name=visibility][value=public]");
        if (pub) { pub.checked = true; }
      }
      replyText.value = src.textContent;
      replyText.dispatchEvent(new Event("input"));
      replyText.focus();
    });
    function changedDraft() {
      if (checkTimer) { clearTimeout(checkTimer); }
      checkTimer = setTimeout(check, 250);
      var now = Date.now();
      if (now - lastTyping > 3000) { lastTyping = now; post("/cases/" + caseID + "/typing").catch(function () {}); }
    }
    if (replyText && form) {
      replyText.addEventListener("input", changedDraft);
      form.addEventListener("change", function (e) { if (e.target.name === "visibility") { changedDraft(); } });
      var tpl = document.getElementById("template");
      if (tpl) {
        tpl.addEventListener("change", function () {
          var src = document.querySelector('[data-template="' + CSS.escape(tpl.value) + '"]');
          if (src) { replyText.value = src.textContent; replyText.dispatchEvent(new Event("input")); }
        });
      }
      if (replyText.value) { check(); }
    }
  }

  // Pages without a stream of their own still keep the badge live.
  if (!stream && badge && window.EventSource) { liveStream("/events"); }

  // ---- Keys everywhere ----
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (typingTarget(e)) {
      if (e.key === "Escape") { e.target.blur(); }
      return;
    }
    var k = e.key;
    if (k === "?") { e.preventDefault(); openKeys(); return; }
    if (info.page === "inbox") {
      if (k === "j") { e.preventDefault(); select(selected + 1); }
      else if (k === "k") { e.preventDefault(); select(selected - 1); }
      else if (k === "Enter" && selected >= 0) { e.preventDefault(); openSelected(""); }
      else if (k === "r") { openSelected("#reply"); }
      else if (k === "n") { openSelected("#note"); }
      else if (k === "a") { openSelected("#assign"); }
      else if (k === "e") {
        var rs = rows();
        if (selected >= 0 && rs[selected]) {
          var href = rs[selected].dataset.href;
          post(href + "/status", "status=resolved", "application/x-www-form-urlencoded").then(function (res) {
            document.getElementById("live").textContent = res.ok ? "Case resolved." : "You may not resolve cases.";
            if (refresh) { refresh(); }
          });
        }
      }
      else if (k === "/") { e.preventDefault(); focusEl("q"); }
    } else if (caseID) {
      if (k === "r") { e.preventDefault(); focusEl("reply-text"); }
      else if (k === "n") { e.preventDefault(); focusEl("note-text"); }
      else if (k === "a") { e.preventDefault(); focusEl("h-team"); }
      else if (k === "e") { var f = document.getElementById("resolve-form"); if (f) { e.preventDefault(); f.requestSubmit(); } }
      else if (k === "/") { e.preventDefault(); location.href = "/#search"; }
    }
  });
  if (info.page === "inbox" && location.hash === "#search") { focusEl("q"); }
  // Reports: choosing a date makes the window custom.
  if (info.page === "reports") {
    var win = document.getElementById("r-window");
    ["r-from", "r-to"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el && win) { el.addEventListener("change", function () { win.value = "custom"; }); }
    });
  }
  // Marks the page as wired up (keys, live updates), for browser tests.
  document.documentElement.dataset.ready = "1";
})();
