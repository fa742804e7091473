/* 典型案例库: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";
  var YEAR = 365 * 24 * 3600;
  var MODES = {
    text: { cookie: "cb_text", on: "large", cls: "text-large", said: ["已切换为标准字号", "已切换为大字模式"] },
    contrast: { cookie: "cb_contrast", on: "high", cls: "contrast-high", said: ["已切换为标准对比度", "已切换为高对比度"] }
  };

  function setCookie(name, value) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    if (value) {
      document.cookie = name + "=" + value + "; Max-Age=" + YEAR + "; Path=/; SameSite=Lax" + secure;
    } else {
      document.cookie = name + "=; Max-Age=0; Path=/; SameSite=Lax" + secure;
    }
  }

  // The display switch: toggle without a reload; the links still work without JavaScript.
  function initSwitch(link) {
    var mode = MODES[link.getAttribute("data-display")];
    if (!mode) { return; }
    var status = document.querySelector("[data-display-status]");
    link.setAttribute("role", "button");
    function render(on) {
      link.setAttribute("data-on", on ? "1" : "0");
      link.setAttribute("aria-pressed", on ? "true" : "false");
      link.textContent = on ? link.getAttribute("data-label-on") : link.getAttribute("data-label-off");
    }
    function toggle(event) {
      event.preventDefault();
      var on = link.getAttribute("data-on") !== "1";
      document.documentElement.classList.toggle(mode.cls, on);
      setCookie(mode.cookie, on ? mode.on : "");
      render(on);
      // Keep the no-JavaScript URL consistent with the new state.
      var url = new URL(link.href, location.href);
      url.searchParams.set(link.getAttribute("data-display"), on ? "normal" : mode.on);
      link.href = url.pathname + url.search;
      if (status) { status.textContent = mode.said[on ? 1 : 0]; }
    }
    // The pressed state describes the mode itself, so the label names the mode, not the action.
    link.setAttribute("data-label-on", link.getAttribute("data-label-off"));
    render(link.getAttribute("data-on") === "1");
    link.addEventListener("click", toggle);
    link.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Spacebar") { toggle(event); }
    });
  }

  // Countdown to the end of a public notice; the server already wrote the date and days left.
  function initCountdown(el) {
    var ends = new Date(el.getAttribute("data-countdown"));
    if (isNaN(ends.getTime())) { return; }
    function tick() {
      var ms = ends.getTime() - Date.now();
      if (ms <= 0) {
        el.textContent = "（公示已结束）";
        return;
      }
      var days = Math.floor(ms / 86400000);
      var hours = Math.floor((ms % 86400000) / 3600000);
      var minutes = Math.floor((ms % 3600000) / 60000);
      el.textContent = days > 0 ? "（还剩 " + days + " 天 " + hours + " 小时）"
                                : "（还剩 " + hours + " 小时 " + minutes + " 分钟）";
      window.setTimeout(tick, 60000);
    }
    tick();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-display]"), initSwitch);
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown]"), initCountdown);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    // On a narrow screen, facet groups without a choice start closed so the results are near.
    if (window.matchMedia && window.matchMedia("(max-width: 56em)").matches) {
      Array.prototype.forEach.call(document.querySelectorAll("details.facet:not([data-selected])"), function (d) {
        d.open = false;
      });
    }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
