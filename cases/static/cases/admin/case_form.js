/*
 * Case form helpers (self-contained, no external assets):
 *  - a character counter under every field that has a length limit (data-limit);
 *  - a copy of the form in this browser (localStorage), saved as the user types, so nothing is
 *    lost when the session times out; offered back ("恢复未提交的内容") when it is newer than
 *    the stored case, and cleared after a successful save.
 */
(function () {
  "use strict";

  var configEl = document.getElementById("cb-case-form-config");
  var form = document.getElementById("w-editor-form");
  if (!configEl || !form) {
    return;
  }
  var config = JSON.parse(configEl.textContent);
  var statusEl = document.getElementById("cb-autosave-status");
  var restoreBox = document.getElementById("cb-restore");
  var restoreText = document.getElementById("cb-restore-text");
  // Never stored: the CSRF token, formset bookkeeping, row ids and button names.
  var SKIP = /(^csrfmiddlewaretoken$)|(-(INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|id)$)|(^action-)/;

  function getStore() {
    try {
      var s = window.localStorage;
      s.setItem("cb-probe", "1");
      s.removeItem("cb-probe");
      return s;
    } catch (e) {
      return null;
    }
  }
  var store = getStore();

  function say(text) {
    if (statusEl) {
      statusEl.textContent = text;
    }
  }

  function timeText(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
      two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }

  /* ---- character counters ------------------------------------------------------------ */

  function charCount(value) {
    return Array.from(value.replace(/\r\n/g, "\n")).length;
  }

  function attachCounter(el) {
    var limit = parseInt(el.getAttribute("data-limit"), 10);
    if (!limit || el.getAttribute("data-cb-counter")) {
      return;
    }
    el.setAttribute("data-cb-counter", "1");
    var counter = document.createElement("p");
    counter.className = "cb-counter";
    counter.id = (el.id || el.name) + "-counter";
    counter.setAttribute("aria-live", "polite");
    el.insertAdjacentElement("afterend", counter);
    var described = el.getAttribute("aria-describedby");
    el.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var n = charCount(el.value);
      counter.textContent = "已写 " + n + " / " + limit + " 字" + (n > limit ? "（超出 " + (n - limit) + " 字）" : "");
      counter.classList.toggle("cb-counter--near", n >= limit * 0.9 && n <= limit);
      counter.classList.toggle("cb-counter--over", n > limit);
    }
    el.addEventListener("input", update);
    update();
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-limit]"), attachCounter);

  /* ---- the local copy ------------------------------------------------------------------ */

  function collect() {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || SKIP.test(el.name) || el.disabled) {
        return;
      }
      if (type === "file" || type === "submit" || type === "button" || type === "reset") {
        return;
      }
      if (type === "checkbox") {
        var list = fields[el.name] || (fields[el.name] = []);
        if (el.checked) {
          list.push(el.value);
        }
      } else if (type === "radio") {
        if (el.checked) {
          fields[el.name] = el.value;
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        fields[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        fields[el.name] = el.value;
      }
    });
    return fields;
  }

  function read(key) {
    if (!store) {
      return null;
    }
    try {
      var saved = JSON.parse(store.getItem(key) || "null");
      return saved && saved.fields ? saved : null;
    } catch (e) {
      return null;
    }
  }

  function save() {
    if (!store) {
      return;
    }
    var savedAt = Date.now();
    try {
      store.setItem(config.key, JSON.stringify({ savedAt: savedAt, fields: collect() }));
      say("已自动保存到本机（" + timeText(savedAt) + "）。这只是本机副本，请记得点击“保存草稿”保存到系统。");
    } catch (e) {
      say("本机空间不足，未能自动保存到本机；请及时点击“保存草稿”。");
    }
  }

  function growFormsets(fields) {
    Object.keys(fields).forEach(function (name) {
      var match = /^(.*)-TOTAL_FORMS$/.exec(name);
      if (!match) {
        return;
      }
      var total = form.querySelector('[name="' + name + '"]');
      var add = document.getElementById("id_" + match[1] + "-ADD");
      var wanted = parseInt(fields[name], 10) || 0;
      var guard = 60;
      while (total && add && parseInt(total.value, 10) < wanted && guard > 0) {
        add.click();
        guard -= 1;
      }
    });
  }

  function fire(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function restore(saved) {
    growFormsets(saved.fields);
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || SKIP.test(el.name) || el.disabled || /-TOTAL_FORMS$/.test(el.name)) {
        return;
      }
      if (!Object.prototype.hasOwnProperty.call(saved.fields, el.name)) {
        return;
      }
      var value = saved.fields[el.name];
      if (type === "file" || type === "submit" || type === "button") {
        return;
      }
      if (type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (type === "radio") {
        el.checked = el.value === value;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else {
        el.value = value;
      }
      if (/-DELETE$/.test(el.name) && value === "1") {
        var child = el.closest("[data-inline-panel-child]");
        if (child) {
          child.hidden = true;
        }
      }
      fire(el);
    });
  }

  function clear(keys) {
    if (!store) {
      return;
    }
    keys.forEach(function (key) { store.removeItem(key); });
  }

  if (config.justSaved) {
    clear([config.key, config.newKey]);
    say("已保存到系统。");
  } else if (config.hasErrors) {
    // The page shows what was typed (with the errors): keep that as the local copy too.
    save();
  } else {
    var saved = read(config.key);
    if (saved && saved.savedAt > (config.serverUpdatedAt || 0)) {
      if (restoreBox && restoreText) {
        restoreText.textContent = "这台电脑上保存有 " + timeText(saved.savedAt) +
          " 填写但尚未保存到系统的内容，比系统中的版本更新。是否恢复？";
        restoreBox.hidden = false;
        restoreBox.querySelector("[data-cb-restore]").addEventListener("click", function () {
          restore(saved);
          restoreBox.hidden = true;
          say("已恢复本机保存的内容，请检查后点击“保存草稿”。");
        });
        restoreBox.querySelector("[data-cb-discard]").addEventListener("click", function () {
          clear([config.key]);
          restoreBox.hidden = true;
          say("已放弃本机保存的内容。");
        });
      }
    } else if (saved) {
      clear([config.key]);
    }
  }

  var timer = null;
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 600);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  /* ---- categories of the chosen campaign only ------------------------------------------ */

  var campaign = form.querySelector('select[name="campaign"]');
  var category = form.querySelector('select[name="category"]');
  function filterCategories() {
    if (!campaign || !category) {
      return;
    }
    Array.prototype.forEach.call(category.options, function (o) {
      var owner = o.getAttribute("data-campaign");
      var hide = Boolean(owner && campaign.value && owner !== campaign.value);
      o.hidden = hide;
      o.disabled = hide;
      if (hide && o.selected) {
        category.value = "";
      }
    });
  }
  if (campaign && category && !campaign.disabled) {
    campaign.addEventListener("change", filterCategories);
    filterCategories();
  }
})();
