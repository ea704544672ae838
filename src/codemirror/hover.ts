/**
 * Hover tooltips from the language service's `hover`: its markdown is shown as text with code
 * spans, code blocks and bold, built as DOM nodes (never `innerHTML`: the rules text, which the
 * markdown quotes, is untrusted).
 */
import { type Tooltip, hoverTooltip } from "@codemirror/view";
import { languageService } from "./service.js";

/**
 * Renders a small markdown subset into `parent`: paragraphs, fenced code blocks, `code` and
 * **bold**; everything else stays text. @internal
 */
export function renderMarkdown(markdown: string, parent: HTMLElement): void {
  const doc = parent.ownerDocument;
  let code: string[] | null = null;
  let para: string[] = [];
  const flushPara = () => {
    if (para.join("").trim()) parent.append(paragraph(doc, para.join("\n")));
    para = [];
  };
  for (const line of markdown.split("\n")) {
    if (line.trimStart().startsWith("```")) {
      if (code) {
        const pre = doc.createElement("pre");
        pre.className = "cm-cible-hover-code";
        pre.textContent = code.join("\n");
        parent.append(pre);
        code = null;
      } else {
        flushPara();
        code = [];
      }
    } else if (code) code.push(line);
    else if (!line.trim()) flushPara();
    else para.push(line);
  }
  if (code) para.push(...code); // an unclosed fence stays text
  flushPara();
}

function paragraph(doc: Document, text: string): HTMLElement {
  const p = doc.createElement("p");
  for (const part of text.split(/(`[^`\n]+`|\*\*[^*\n]+\*\*)/)) {
    if (!part) continue;
    if (part.length > 2 && part.startsWith("`") && part.endsWith("`")) {
      const code = doc.createElement("code");
      code.textContent = part.slice(1, -1);
      p.append(code);
    } else if (part.length > 4 && part.startsWith("**") && part.endsWith("**")) {
      const b = doc.createElement("strong");
      b.textContent = part.slice(2, -2);
      p.append(b);
    } else p.append(doc.createTextNode(part));
  }
  return p;
}

/** The hover extension. @internal */
export const cibleHover = hoverTooltip((view, pos): Tooltip | null => {
  const ls = view.state.facet(languageService);
  if (!ls) return null;
  const hover = ls.hover(view.state.doc.toString(), pos);
  if (!hover) return null;
  return {
    pos: hover.span.start.offset,
    end: hover.span.end.offset,
    above: true,
    create: () => {
      const dom = document.createElement("div");
      dom.className = "cm-cible-hover";
      renderMarkdown(hover.markdown, dom);
      return { dom };
    },
  };
});
