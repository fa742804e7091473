/*
 * Keyboard and screen-reader help for every admin form an official fills in (issue 16, item 8;
 * docs/accessibility-admin.md). Self-contained, no external assets.
 *  - Section controls get distinct names: Wagtail names every section's toggle "部件开关" and its
 *    anchor after the heading only; here the toggle says what it opens or closes.
 *  - Enter in a one-line field saves with the form's default button ([data-cb-default-submit]),
 *    never with the first submit button in the page (the hidden "保存草稿并上传图片、附件").
 *  - A field's error message is tied to its input (aria-describedby) and the input marked invalid.
 *  - After a failed save the error summary (#cb-error-summary, role=alert, rendered only then)
 *    takes the focus, on the tab that holds the first error; each of its links opens the tab of
 *    its field and puts the focus there.
 */
(function () {
  "use strict";

  function headingText(panel) {
    var heading = panel && panel.querySelector("[data-panel-heading-text]");
    return heading ? heading.textContent.trim() : "";
  }

  function nameSectionControls(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-panel-toggle]"), function (toggle) {
      var text = headingText(toggle.closest("[data-panel]"));
      if (!text) {
        return;
      }
      toggle.setAttribute("aria-label", "展开或收起“" + text + "”");
      toggle.removeAttribute("aria-describedby");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".w-panel__anchor"), function (anchor) {
      var text = headingText(anchor.closest("[data-panel]"));
      if (text) {
        anchor.setAttribute("aria-label", "“" + text + "”的链接");
        anchor.removeAttribute("aria-labelledby");
      }
    });
  }

  // Wagtail shows a field's error above it but does not tie it to the input: a screen reader on
  // the input hears only the help text, and Django's own reference (id_x_error) points at nothing.
  // Tie the message (aria-describedby, first), mark the input invalid, drop references to nothing.
  function ids(value) {
    return (value || "").split(/\s+/).filter(Boolean);
  }

  function tieErrors(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".w-field--error"), function (wrapper, index) {
      var errors = wrapper.querySelector("[data-field-errors]");
      if (!errors || !errors.textContent.trim()) {
        return;
      }
      var inputs = Array.prototype.filter.call(
        wrapper.querySelectorAll("[data-field-input] input, [data-field-input] select, [data-field-input] textarea"),
        function (input) { return input.type !== "hidden"; }
      );
      if (!errors.id) {
        var django = inputs.length && ids(inputs[0].getAttribute("aria-describedby")).filter(function (ref) {
          return /_error$/.test(ref) && !document.getElementById(ref);
        })[0];
        errors.id = django || ((inputs[0] && inputs[0].id) || "cb-field-" + index) + "-error";
      }
      inputs.forEach(function (input) {
        var described = ids(input.getAttribute("aria-describedby")).filter(function (ref) { return ref !== errors.id; });
        input.setAttribute("aria-describedby", [errors.id].concat(described).join(" "));
        input.setAttribute("aria-invalid", "true");
      });
    });
    Array.prototype.forEach.call(root.querySelectorAll("[aria-describedby]"), function (element) {
      var kept = ids(element.getAttribute("aria-describedby")).filter(function (ref) { return document.getElementById(ref); });
      if (kept.length) {
        element.setAttribute("aria-describedby", kept.join(" "));
      } else {
        element.removeAttribute("aria-describedby");
      }
    });
  }

  var ONE_LINE = /^(text|email|tel|url|number|search|date|datetime-local|password)$/;

  function enterSavesWithTheDefaultButton(event) {
    var target = event.target;
    if (event.key !== "Enter" || event.defaultPrevented || !target.form || target.tagName !== "INPUT" || !ONE_LINE.test(target.type)) {
      return;
    }
    var button = target.form.querySelector("[data-cb-default-submit]");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (target.form.requestSubmit) {
      target.form.requestSubmit(button);
    } else {
      button.click();
    }
  }

  function showTabOf(element) {
    var panel = element && element.closest("[role=tabpanel]");
    if (!panel) {
      return;
    }
    var tab = document.querySelector('[role=tab][aria-controls="' + panel.id + '"]') ||
      document.querySelector('[role=tab][href="#' + panel.id + '"]');
    if (tab && tab.getAttribute("aria-selected") !== "true") {
      tab.click();
    }
  }

  function goToField(id) {
    var field = document.getElementById(id);
    if (!field) {
      return false;
    }
    showTabOf(field);
    var details = field.closest("details");
    if (details) {
      details.open = true;
    }
    // Wagtail finishes switching tabs (and moves focus to the tab) after the click: focus the field after it.
    window.setTimeout(function () { field.focus(); }, 50);
    return true;
  }

  function focusErrorSummary() {
    var summary = document.getElementById("cb-error-summary");
    if (!summary) {
      return;
    }
    var first = summary.querySelector("[data-cb-error-link]");
    if (first) {
      showTabOf(document.getElementById(first.getAttribute("href").slice(1)));
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("[data-cb-error-link]");
      if (link && goToField(link.getAttribute("href").slice(1))) {
        event.preventDefault();
      }
    });
  }

  function start() {
    nameSectionControls(document);
    tieErrors(document);
    document.addEventListener("keydown", enterSavesWithTheDefaultButton);
    // After Wagtail's own controllers (tabs) have set the page up.
    window.setTimeout(focusErrorSummary, 0);
    // Indicator rows added later carry their own section controls.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        Array.prototype.forEach.call(record.addedNodes, function (node) {
          if (node.nodeType === 1) {
            nameSectionControls(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
