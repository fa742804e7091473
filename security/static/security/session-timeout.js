// Warns before the admin session ends and offers to extend it (security/views.py, sessions.py).
// Configuration comes from this script tag's data-* attributes; no inline script is needed.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.body.classList.contains("login")) { return; }  // sign-in pages
  var statusUrl = script.dataset.statusUrl;
  var extendUrl = script.dataset.extendUrl;
  var loginUrl = script.dataset.loginUrl;
  var timer = null;
  var countdown = null;
  var banner = null;
  var seenSignedIn = false;  // only a session that was alive can be reported as expired

  function csrfToken() {
    var config = document.getElementById("wagtail-config");
    if (config) {
      try { return JSON.parse(config.textContent).CSRF_TOKEN || ""; } catch (e) { /* fall through */ }
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function minutes(seconds) {
    return Math.max(1, Math.ceil(seconds / 60));
  }

  function ensureBanner() {
    if (banner) { return banner; }
    banner = document.createElement("div");
    banner.className = "session-timeout";
    banner.setAttribute("role", "alertdialog");
    banner.setAttribute("aria-live", "assertive");
    banner.setAttribute("aria-labelledby", "session-timeout-text");
    var text = document.createElement("p");
    text.id = "session-timeout-text";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "继续使用";
    button.addEventListener("click", extend);
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.appendChild(banner);
    return banner;
  }

  function hideBanner() {
    if (banner) { banner.hidden = true; }
    if (countdown) { clearInterval(countdown); countdown = null; }
  }

  function showExpired() {
    var box = ensureBanner();
    box.hidden = false;
    box.querySelector("p").textContent = "登录已过期，请重新登录。未保存的内容可能丢失。";
    var button = box.querySelector("button");
    button.textContent = "重新登录";
    button.removeEventListener("click", extend);
    button.addEventListener("click", function () {
      window.location.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    });
    button.focus();
  }

  function showWarning(state) {
    var box = ensureBanner();
    var left = state.remaining;
    var button = box.querySelector("button");
    var text = box.querySelector("p");
    button.hidden = !state.extendable;
    box.hidden = false;
    function render() {
      if (state.extendable) {
        text.textContent = "您已较长时间未操作，登录将在约 " + minutes(left) + " 分钟后过期。请保存正在编辑的内容，或点击“继续使用”。";
      } else {
        text.textContent = "本次登录将在约 " + minutes(left) + " 分钟后到达最长时限，请保存正在编辑的内容后重新登录。";
      }
    }
    render();
    if (countdown) { clearInterval(countdown); }
    countdown = setInterval(function () {
      left -= 15;
      if (left <= 0) { clearInterval(countdown); countdown = null; check(); return; }
      render();
    }, 15000);
    if (state.extendable) { button.focus(); }
  }

  function schedule(state) {
    if (timer) { clearTimeout(timer); }
    if (state.remaining <= 0) { showExpired(); return; }
    if (state.remaining <= state.warning) { showWarning(state); }
    else { hideBanner(); }
    var next = state.remaining > state.warning ? state.remaining - state.warning : Math.min(state.remaining, 30);
    timer = setTimeout(check, Math.max(5, next) * 1000);
  }

  function handle(response) {
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok || response.redirected || type.indexOf("application/json") === -1) {
      throw new Error("expired");
    }
    return response.json();
  }

  function expired() {
    if (seenSignedIn) { showExpired(); }
  }

  function alive(state) {
    seenSignedIn = true;
    schedule(state);
  }

  function check() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(handle).then(alive).catch(expired);
  }

  function extend() {
    fetch(extendUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    }).then(handle).then(alive).catch(expired);
  }

  check();
})();
