/* The body editor's glue (babelpress/newsroom/body_editor.py): the editor's words in the admin's
   language, and the editing area in the text's language and writing direction.

   A classic script, so it runs before django-prose-editor's modules: it makes sure the editor
   finds a gettext (the admin's JavaScript catalog defines one on most pages) and hears the
   "prose-editor:ready" event of every editor. No other globals. */
(function () {
  "use strict";
  var django = window.django || (window.django = {});
  django.catalog = django.catalog || {};
  if (typeof window.gettext !== "function") {
    // A page without the admin's catalog: look our words up in the same place it would.
    window.gettext = function (text) {
      var found = django.catalog[text];
      return typeof found === "string" ? found : text;
    };
  }

  var editors = []; // [{textarea, area}]

  function words(textarea) {
    try {
      return JSON.parse(textarea.getAttribute("data-editor-strings") || "{}");
    } catch (error) {
      return {};
    }
  }

  function translate(root, strings) {
    root.querySelectorAll("[title]").forEach(function (element) {
      var ours = strings[element.getAttribute("title")];
      if (ours) {
        element.setAttribute("title", ours);
        element.setAttribute("aria-label", ours);
      }
    });
    // Menu entries (the paragraph/heading menu) and labels are text of their own.
    root.querySelectorAll("p, h2, h3, label, span, option, button:not(.material-icons)").forEach(function (element) {
      if (element.children.length) return;
      var text = element.textContent.trim();
      if (strings[text]) element.textContent = strings[text];
    });
  }

  function setLanguage(element, lang, dir) {
    if (lang) element.setAttribute("lang", lang);
    if (dir) element.setAttribute("dir", dir);
  }

  function applySelected(select) {
    if (!select.value) return;
    document.querySelectorAll('[data-language-from="' + select.id + '"]').forEach(function (field) {
      var directions = JSON.parse(field.getAttribute("data-directions") || "{}");
      var dir = directions[select.value] || "ltr";
      setLanguage(field, select.value, dir);
      editors.forEach(function (entry) {
        if (entry.textarea === field) setLanguage(entry.area, select.value, dir);
      });
    });
  }

  function follow(select) {
    if (!select) return;
    if (!select.dataset.textLanguageFollowed) {
      select.dataset.textLanguageFollowed = "1";
      select.addEventListener("change", function () { applySelected(select); });
    }
    // What the select shows now: a new article's first language, a value the browser restored.
    applySelected(select);
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var textarea = event.detail.textarea;
    var editor = event.detail.editor;
    if (!textarea.hasAttribute("data-editor-strings")) return; // not one of ours
    var strings = words(textarea);
    Object.keys(strings).forEach(function (english) {
      django.catalog[english] = strings[english];
    });
    var container = textarea.closest(".prose-editor") || editor.view.dom.parentNode;
    translate(container, strings);
    // Dialogs and menus are made when opened: translate what appears later too.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) translate(node, strings);
        });
      });
    }).observe(container, {childList: true, subtree: true});
    var area = editor.view.dom;
    setLanguage(area, textarea.getAttribute("lang"), textarea.getAttribute("dir"));
    editors.push({textarea: textarea, area: area});
    if (textarea.dataset.languageFrom) follow(document.getElementById(textarea.dataset.languageFrom));
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Plain text fields (headline, standfirst…) follow the Language select without an editor.
    document.querySelectorAll("[data-language-from]").forEach(function (field) {
      follow(document.getElementById(field.dataset.languageFrom));
    });
  });
})();
