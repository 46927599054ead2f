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

  // The editor's own parts (toolbar, menus, dialogs) in our words; never the text being written.
  function translate(root, strings, area) {
    var outside = function (element) { return !area.contains(element); };
    var all = function (selector) {
      var found = Array.prototype.slice.call(root.querySelectorAll(selector));
      if (root.matches(selector)) found.unshift(root);
      return found.filter(outside);
    };
    // An image needs its description: the dialog asks for it.
    all('input[name="altText"]').forEach(function (input) {
      input.required = true;
    });
    all("[title]").forEach(function (element) {
      var ours = strings[element.getAttribute("title")];
      if (ours) {
        element.setAttribute("title", ours);
        element.setAttribute("aria-label", ours);
      }
    });
    // Menu entries (the paragraph/heading menu) and labels are text of their own.
    all("p, h2, h3, label, span, option, button:not(.material-icons)").forEach(function (element) {
      if (element.children.length) return;
      var text = element.textContent.trim();
      if (strings[text]) element.textContent = strings[text];
    });
  }

  // Word writes a list as paragraphs ("mso-list" in their style), each starting with its bullet or
  // number in a span marked "mso-list:Ignore". The editor's schema would keep them as paragraphs
  // starting with "·"; here they become the list they are. Everything else is left to the schema.
  var WORD_LIST_ITEM = /mso-list\s*:\s*l\d/i;
  var WORD_MARKER = /mso-list\s*:\s*ignore/i;
  var NUMBERED = /^\s*(\d+|[a-z]|[ivxlcdm]+)[.)]/i;

  function wordLists(html) {
    if (html.indexOf("mso-list") === -1) return html;
    var doc = new DOMParser().parseFromString(html, "text/html");
    var list = null;
    Array.prototype.slice.call(doc.body.querySelectorAll("p")).forEach(function (paragraph) {
      if (!WORD_LIST_ITEM.test(paragraph.getAttribute("style") || "")) {
        list = null;
        return;
      }
      var marker = "";
      paragraph.querySelectorAll("span").forEach(function (span) {
        if (WORD_MARKER.test(span.getAttribute("style") || "") && span.parentNode) {
          marker += span.textContent;
          span.parentNode.removeChild(span);
        }
      });
      var kind = NUMBERED.test(marker) ? "ol" : "ul";
      var previous = paragraph.previousElementSibling;
      if (!list || previous !== list || list.tagName.toLowerCase() !== kind) {
        list = doc.createElement(kind);
        paragraph.parentNode.insertBefore(list, paragraph);
      }
      var item = doc.createElement("li");
      while (paragraph.firstChild) item.appendChild(paragraph.firstChild);
      list.appendChild(item);
      paragraph.parentNode.removeChild(paragraph);
    });
    return doc.body.innerHTML;
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
    if (!textarea.hasAttribute("data-editor-strings") && !textarea.hasAttribute("data-segment-editor")) {
      return; // not one of ours
    }
    var strings = words(textarea);
    Object.keys(strings).forEach(function (english) {
      django.catalog[english] = strings[english];
    });
    var container = textarea.closest(".prose-editor") || editor.view.dom.parentNode;
    translate(container, strings, editor.view.dom);
    // Dialogs and menus are made when opened: translate what appears later too.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && !editor.view.dom.contains(node)) translate(node, strings, editor.view.dom);
        });
      });
    }).observe(container, {childList: true, subtree: true});
    var previousTransform = editor.options.editorProps.transformPastedHTML;
    editor.setOptions({editorProps: Object.assign({}, editor.options.editorProps, {
      transformPastedHTML: function (html, view) {
        html = wordLists(html);
        return previousTransform ? previousTransform(html, view) : html;
      },
    })});
    var area = editor.view.dom;
    setLanguage(area, textarea.getAttribute("lang"), textarea.getAttribute("dir"));
    // The area is what a screen reader meets: it takes the textarea's name (its label, or aria-label).
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    var name = textarea.getAttribute("aria-label") || (label && label.textContent.replace(/\s*:\s*$/, "").trim());
    if (name) area.setAttribute("aria-label", name);
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
