"""HTML from the wiki (MediaWiki `action=parse`) and the forum (Discourse `cooked`) -> Markdown.

One converter for both, built on markdownify (see docs/web-text.md for why): code blocks fenced once
with their language and every line as written, inline code in backticks, links as Markdown links,
lists and headings kept. Before converting, the page furniture that is nobody's text is removed or
reduced (`clean`):

- Discourse: quotes of other posts become blockquotes headed "Quoting @user (post N):" (never the
  author's own words); image lightboxes, oneboxes and user cards become a link with their title;
  emoji images their `:name:`; mentions plain `@user`; `<details>` its summary, then its body.
- MediaWiki: HTML comments (the parser's `NewPP limit report`, `<!--T:n-->`), the Translate
  language bar and `<translate>` markers, navboxes, infoboxes, reference markers, edit links and the
  table of contents.
"""

from __future__ import annotations

import re
import urllib.parse

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import ATX, MarkdownConverter

# Elements that are page furniture on MediaWiki or Discourse, never text.
DROP_TAGS = ("script", "style", "noscript", "link", "meta", "languages")
DROP_CLASSES = ("mw-editsection", "toc", "mw-jump-link", "catlinks", "printfooter", "mw-empty-elt",
                "mw-pt-languages", "mw-pt-translate-header", "navbox", "navbox-styles", "vertical-navbox",
                "infobox", "reference", "mw-cite-backlink", "quote-controls", "avatar", "onebox-metadata")
QUOTE_ATTR = "data-nanodex-quote"
# `<translate>`, `</translate>`, `<!--T:12-->` and `<tvar …>` when they reach the HTML as text.
_TRANSLATE_MARKS = re.compile(r"</?translate>|<!--\s*T:\d+\s*-->|</?tvar[^>]*>")
_NO_LANG = {"auto", "text", "plaintext", "none", "nohighlight"}
_LANG_PREFIXES = ("mw-highlight-lang-", "lang-", "language-")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html or "", "html.parser")


def _classes(el: Tag) -> list[str]:
    return list(el.get("class") or []) if isinstance(el, Tag) else []


def code_lang(pre: Tag) -> str | None:
    """`<div class="mw-highlight mw-highlight-lang-nix">`, `<code class="lang-nix">`, `<pre lang="nix">`,
    Discourse's `<pre data-code-wrap="nix">`; "auto"/"text" mean no language."""
    for node in (pre.find("code"), pre, pre.parent):
        if not isinstance(node, Tag):
            continue
        for value in (node.get("lang"), node.get("data-code-wrap")):
            if value:
                return None if str(value) in _NO_LANG else str(value)
        for c in _classes(node):
            for prefix in _LANG_PREFIXES:
                if c.startswith(prefix) and c != prefix:
                    lang = c[len(prefix):]
                    return None if lang in _NO_LANG else lang
    return None


def _link(s: BeautifulSoup, href: str | None, title: str) -> Tag | str:
    title = " ".join(title.split())
    if not href:
        return title
    a = s.new_tag("a", href=href)
    a.string = title or href
    return a


def _reduce_lightbox(s: BeautifulSoup, wrapper: Tag) -> None:
    a = wrapper if wrapper.name == "a" else wrapper.find("a", class_="lightbox") or wrapper.find("a")
    img = wrapper.find("img")
    name = wrapper.find(class_="filename")
    title = (a.get("title") if a else None) or (name.get_text() if name else None) or \
            (img.get("alt") if img else None) or "image"
    href = (a.get("href") if a else None) or (img.get("src") if img else None)
    wrapper.replace_with(_link(s, href, title))


def _reduce_onebox(s: BeautifulSoup, box: Tag) -> None:
    src = box.get("data-onebox-src")
    heading = box.find(["h3", "h4"])
    title_a = heading.find("a", href=True) if heading else None
    header_a = box.find("header")
    header_a = header_a.find("a", href=True) if header_a else None
    title = heading.get_text(" ", strip=True) if heading else None
    href = src or (title_a.get("href") if title_a else None) or (header_a.get("href") if header_a else None)
    if not title:
        title = header_a.get_text(" ", strip=True) if header_a else (href or "")
    p = s.new_tag("p")
    p.append(_link(s, href, title))
    box.replace_with(p)


def _quote_to_blockquote(s: BeautifulSoup, aside: Tag) -> None:
    """`<aside class="quote" data-username data-post>` -> a blockquote whose first line says whose it is."""
    user = aside.get("data-username")
    post = aside.get("data-post")
    body = aside.find("blockquote", recursive=False) or aside.find("blockquote")
    quote = s.new_tag("blockquote")
    quote[QUOTE_ATTR] = user or ""
    head = s.new_tag("p")
    who = f"@{user}" if user else "another post"
    head.string = f"Quoting {who}" + (f" (post {post}):" if post else ":")
    quote.append(head)
    for child in list((body or s.new_tag("div")).contents):
        quote.append(child.extract())
    aside.replace_with(quote)


def clean(root: Tag, base_url: str = "") -> Tag:
    """Remove or reduce the furniture of both sites in place (see the module doc); returns `root`."""
    for c in root.find_all(string=lambda t: isinstance(t, Comment)):
        c.extract()
    for t in root.find_all(DROP_TAGS):
        t.decompose()
    for cls in DROP_CLASSES:
        for t in root.find_all(class_=cls):
            if not t.decomposed:
                t.decompose()
    for t in root.find_all(id="toc"):
        t.decompose()
    for t in root.find_all(["translate", "tvar"]):
        t.unwrap()
    for text in root.find_all(string=_TRANSLATE_MARKS):
        text.replace_with(_TRANSLATE_MARKS.sub("", str(text)))
    s = root if isinstance(root, BeautifulSoup) else BeautifulSoup("", "html.parser")
    for aside in root.find_all("aside", class_="quote"):          # outer first; inner ones stay inside
        _quote_to_blockquote(s, aside)
    for box in root.find_all(lambda t: any(c == "onebox" or c.endswith("-onebox") or c == "user-card"
                                           for c in _classes(t)) and t.name in ("aside", "div")):
        if not box.decomposed and box.parent is not None:
            _reduce_onebox(s, box)
    for wrapper in root.find_all(class_="lightbox-wrapper"):
        _reduce_lightbox(s, wrapper)
    for a in root.find_all("a", class_="lightbox"):                 # older posts: no wrapper
        _reduce_lightbox(s, a)
    for img in root.find_all("img"):
        if "emoji" in _classes(img):
            img.replace_with(img.get("alt") or img.get("title") or "")
        elif img.find_parent("a") is not None:
            img.replace_with(img.get("alt") or "")                   # the link carries it
        else:
            img.replace_with(_link(s, img.get("src"), img.get("alt") or img.get("title") or "image"))
    for a in root.find_all("a"):
        cls = _classes(a)
        if "mention" in cls or "mention-group" in cls or "hashtag-cooked" in cls:
            a.replace_with(a.get_text())
            continue
        href = a.get("href")
        a.attrs.pop("title", None)                                   # MediaWiki repeats the page name
        if href and href.startswith("#"):
            a.unwrap()                                               # an anchor of the page itself
        elif href and base_url:
            a["href"] = urllib.parse.urljoin(base_url.rstrip("/") + "/", href)
    return root


class _Converter(MarkdownConverter):
    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        # Identifiers (`services.nginx.virtual_hosts`, `pkgs.*`) are common in this prose: escaping
        # `_` and `*` would change what the page says.
        escape_underscores = False
        escape_asterisks = False
        code_language_callback = staticmethod(lambda pre: code_lang(pre) or "")

    def convert_pre(self, el, text, parent_tags):
        code = _pre_text(el)
        if not code.strip():
            return ""
        lang = code_lang(el) or ""
        longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
        fence = "`" * (longest + 1)
        return f"\n\n{fence}{lang}\n{code}\n{fence}\n\n"

    def convert_br(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " "
        return "\n"

    def convert_summary(self, el, text, parent_tags):
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    def convert_details(self, el, text, parent_tags):
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""


_CONVERTER = _Converter()


def _pre_text(pre: Tag) -> str:
    """A `<pre>`'s code exactly as written, minus leading and trailing blank lines."""
    text = pre.get_text().replace("\r\n", "\n")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def in_quote(el: Tag) -> bool:
    return any(p.name == "blockquote" and p.has_attr(QUOTE_ATTR) for p in el.parents)


def code_blocks(root: Tag) -> list[dict]:
    """The author's code blocks (not those inside a quote of another post): language and exact text."""
    out = []
    for pre in root.find_all("pre"):
        text = _pre_text(pre)
        if text.strip() and not in_quote(pre):
            out.append({"lang": code_lang(pre), "text": text})
    return out


def to_markdown(root: Tag) -> str:
    """An already cleaned tree -> Markdown (no blank-line runs, no trailing spaces)."""
    text = _CONVERTER.convert_soup(root) if isinstance(root, BeautifulSoup) else _CONVERTER.process_tag(root)
    out, fence, blank = [], None, False
    for line in text.split("\n"):
        line = line.rstrip()
        bare = line.lstrip("> ").strip()
        if fence is None:
            m = _FENCE.match(bare)
            if m:
                fence = m.group(1)
            elif not line:                      # one blank line between blocks; code keeps its own
                if blank:
                    continue
                blank = True
                out.append(line)
                continue
        elif bare and set(bare) == {fence[0]} and len(bare) >= len(fence):
            fence = None
        blank = False
        out.append(line)
    return "\n".join(out).strip("\n")


def own_text(markdown: str) -> str:
    """The author's own words: the Markdown without blockquote lines (quotes of other posts or pages);
    lines of fenced code are kept whatever they start with."""
    out, fence = [], None
    for line in markdown.split("\n"):
        bare = line.strip()
        if fence is None and not bare.startswith(">"):
            m = _FENCE.match(bare)
            fence = m.group(1) if m else None
            out.append(line)
        elif fence is not None:
            if bare and set(bare) == {fence[0]} and len(bare) >= len(fence):
                fence = None
            out.append(line)
    return "\n".join(out)


def html_to_markdown(html: str, base_url: str = "") -> tuple[str, list[dict]]:
    """HTML -> (Markdown, code blocks): the one entry point for a whole post or page."""
    s = clean(soup(html), base_url)
    return to_markdown(s), code_blocks(s)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def blocks(markdown: str) -> list[str]:
    """Markdown split at blank lines, a fenced code block (blank lines and all) kept as one block."""
    out, cur, fence = [], [], None
    for line in markdown.split("\n"):
        bare = line.lstrip("> ").strip()
        m = _FENCE.match(bare)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and bare and set(bare) == {fence[0]} and len(bare) >= len(fence):
            fence = None
        if not line.strip() and fence is None:
            if cur:
                out.append("\n".join(cur))
                cur = []
            continue
        cur.append(line)
    if cur:
        out.append("\n".join(cur))
    return out


def cap(markdown: str | None, n: int) -> str | None:
    """At most `n` characters of Markdown, cut between blocks (never inside a code fence); a first
    block longer than `n` is cut at a line end, and a code fence left open is closed."""
    if not markdown or len(markdown) <= n:
        return markdown
    kept, size = [], 0
    for block in blocks(markdown):
        extra = len(block) + (2 if kept else 0)
        if size + extra > n:
            break
        kept.append(block)
        size += extra
    if kept:
        return "\n\n".join(kept)
    first = blocks(markdown)[0]
    lines, out, size = first.split("\n"), [], 0
    for line in lines:
        if size + len(line) + 1 > n - 4 and out:
            break
        out.append(line[:n])
        size += len(line) + 1
    m = _FENCE.match(out[0])
    if m and not (len(out) > 1 and _FENCE.match(out[-1])):
        out.append(m.group(1))
    return "\n".join(out)
