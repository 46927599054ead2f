/* The review screen's body segments in the body editor (django-prose-editor, as on the article
   page; translation/segment_editor.py). A segment is one block of text whose markup is carried by
   placeholder tags (<g1>…</g1> around a link or emphasis, <x2/> for a number, an address, a glossary
   term, an image): here each tag is one uneditable piece, moved or deleted whole, never typed
   half. Formatting of its own a segment cannot have, so the editor offers none, and a pasted text
   arrives as plain text.

   The textarea keeps the segment as the reviewer would type it (translation/placeholders.py,
   "readable"): the editor reads it from there and writes it back there before the form is sent,
   so the server sees exactly what a plain textarea sends, and without JavaScript the textarea is
   simply there. */
import {createTextareaEditor, Document, Node, Paragraph, Text, History} from "django-prose-editor/editor";

const TAG = /<(\/?)([gx])(\d+)(\/?)>/g; // placeholders.TAG

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/* "It costs <x1/> euros" → editor HTML with each tag as a piece labelled by `labels` (or itself). */
export function toEditorHtml(readable, labels) {
  let html = "";
  let last = 0;
  for (const match of readable.matchAll(TAG)) {
    html += escapeHtml(readable.slice(last, match.index));
    const tag = match[0];
    html += `<span data-segment-tag="${escapeHtml(tag)}">${escapeHtml(labels[tag] || tag)}</span>`;
    last = match.index + tag.length;
  }
  return `<p>${html}${escapeHtml(readable.slice(last))}</p>`;
}

/* The editor's HTML back to the readable segment: text as text, each piece as its tag. */
export function fromEditorHtml(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const parts = [];
  const walk = (node) => {
    node.childNodes.forEach((child) => {
      if (child.nodeType === 3) {
        parts.push(child.data);
      } else if (child.nodeType === 1 && child.hasAttribute("data-segment-tag")) {
        parts.push(child.getAttribute("data-segment-tag"));
      } else if (child.nodeType === 1) {
        if (child.tagName === "P" && parts.length) parts.push(" ");
        walk(child);
      }
    });
  };
  walk(doc.body);
  return parts.join("").replace(/\u00a0/g, " ");
}

const squash = (text) => text.split(/\s+/).filter(Boolean).join(" ");

const SegmentTag = Node.create({
  name: "segmentTag",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes() {
    return {
      tag: {default: "", parseHTML: (element) => element.getAttribute("data-segment-tag")},
      label: {default: "", parseHTML: (element) => element.textContent},
    };
  },
  parseHTML() {
    return [{tag: "span[data-segment-tag]"}];
  },
  renderText({node}) {
    return node.attrs.tag; // copied as its tag, so pasting it elsewhere brings the piece along
  },
  renderHTML({node}) {
    return ["span", {"data-segment-tag": node.attrs.tag, class: "segment-tag", contenteditable: "false"},
      node.attrs.label || node.attrs.tag];
  },
});

// One block: Enter does nothing, pasted paragraphs join into it.
const OneBlock = Document.extend({content: "paragraph"});

function labelsOf(textarea) {
  try {
    return JSON.parse(textarea.getAttribute("data-segment-labels") || "{}");
  } catch (error) {
    return {};
  }
}

function start(textarea) {
  const original = textarea.value;
  textarea.value = toEditorHtml(original, labelsOf(textarea));  // what the editor reads
  if (textarea.hasAttribute("readonly")) textarea.setAttribute("disabled", "");
  const labels = labelsOf(textarea);
  const editor = createTextareaEditor(textarea, [OneBlock, Paragraph, Text, History, SegmentTag]);
  editor.setOptions({editorProps: {...editor.options.editorProps, handlePaste(view, event) {
    // Text only, on one line; tags in it ("<x1/>", as copied from another segment) become pieces.
    const text = (event.clipboardData && event.clipboardData.getData("text/plain")) || "";
    const html = toEditorHtml(text.replace(/\s*\n\s*/g, " "), labels);
    editor.commands.insertContent(html.slice("<p>".length, -"</p>".length));
    return true;
  }}});
  textarea.form.addEventListener("formdata", (event) => {
    // Sent as typed; untouched (or changed only in spaces the editor evens out): sent as it came.
    const typed = fromEditorHtml(textarea.value);
    event.formData.set(textarea.name, squash(typed) === squash(original) ? original : typed);
  });
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", {detail: {editor, textarea}, bubbles: true}));
}

document.querySelectorAll("textarea[data-segment-editor]").forEach(start);
