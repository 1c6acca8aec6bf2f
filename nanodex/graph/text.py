"""HTML (wiki pages, forum posts) -> plain text and code blocks, with BeautifulSoup."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

_WS = re.compile(r"[ \t\r\f\v]+")
_NL = re.compile(r"\n{3,}")
DROP = ("script", "style", "noscript")
DROP_CLASSES = ("mw-editsection", "toc", "navbox", "mw-empty-elt", "catlinks", "printfooter", "mw-jump-link")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html or "", "html.parser")


def clean(node: Tag) -> None:
    for t in node.find_all(DROP):
        t.decompose()
    for cls in DROP_CLASSES:
        for t in node.find_all(class_=cls):
            t.decompose()
    for t in node.find_all(id="toc"):
        t.decompose()


def code_lang(pre: Tag) -> str | None:
    """`<div class="mw-highlight mw-highlight-lang-nix">`, `<code class="lang-nix">`, `<pre lang="nix">`."""
    for node in (pre, pre.find("code"), pre.parent):
        if not isinstance(node, Tag):
            continue
        if node.get("lang"):
            return str(node["lang"])
        for c in node.get("class") or []:
            for prefix in ("mw-highlight-lang-", "lang-", "language-"):
                if c.startswith(prefix) and c != prefix:
                    return c[len(prefix):]
    return None


def code_blocks(node: Tag) -> list[dict]:
    out = []
    for pre in node.find_all("pre"):
        text = pre.get_text()
        if text.strip():
            out.append({"lang": code_lang(pre), "text": text.strip("\n")})
    return out


BLOCKS = ("p", "div", "pre", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "dd", "dt", "br", "aside", "details", "summary")


def plain_text(node: Tag) -> str:
    """Text with line breaks where blocks end, inline markup (<code>, <a>) kept in its line."""
    for block in node.find_all(BLOCKS):
        block.append("\n")
    text = node.get_text()
    lines = [_WS.sub(" ", line).strip() for line in text.splitlines()]
    return _NL.sub("\n\n", "\n".join(lines)).strip()


def html_to_text_and_code(html: str) -> tuple[str, list[dict]]:
    s = soup(html)
    clean(s)
    return plain_text(s), code_blocks(s)
