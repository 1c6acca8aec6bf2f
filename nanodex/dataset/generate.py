"""Candidate Q&A examples from brain nodes, one small generator per category.

Categories (code graph): discovery ("Does X have Y?", with true negatives "No, ...; the closest is
..."), explain, howto, diagnostics. Nix: package definition, version pinning, source fetchers,
dependency declarations, options, wiki configuration guides, forum troubleshooting. Phrasings and
negative picks come from a hash of (seed, node id): the same inputs and seed give the same examples.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator

from ..graph.markdown import cap
from ..graph.members import OPEN
from .example import make_example
from .facts import facts_of
from .nixcode import fetcher_call, literal, option_setting, package_expression, pin_overlay
from .templates import ANSWERS, BUILDER_LANGS, QUESTIONS, heldout_forms, train_forms

MEMBER_KINDS = {"method": "method", "function": "function", "field": "field", "constant": "constant",
                "variable": "variable", "class": "class", "struct": "struct", "interface": "interface",
                "enum": "enum", "trait": "trait", "type": "type", "input": "input", "option": "option"}
CONTAINERS = {"class", "struct", "interface", "trait", "enum", "module", "namespace"}


def _h(seed: int, key: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}\0{key}".encode(), digest_size=8).digest(), "big")


def pick(options: list[str], seed: int, key: str) -> str:
    return options[_h(seed, key) % len(options)]


def group_of(n: dict) -> str:
    """What must not cross the train/eval split: the file, package file, wiki page or forum topic."""
    return f"{n['source']}:{n.get('path') or n['id']}"


def closest_name(name: str, candidates: list[str]) -> str:
    """The candidate sharing the longest prefix with `name`, then the nearest in length, then the first."""
    low = name.lower()
    return min(candidates, key=lambda c: (-len(os.path.commonprefix([low, c.lower()])), abs(len(c) - len(name)), c))


def code_block(code: str, lang: str = "nix") -> str:
    return f"```{lang}\n{code.strip()}\n```"


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n", 1)[0].strip()


_FENCE_LINE = re.compile(r"^```", re.M)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a paragraph (else sentence) end outside code
    fences, never inside a value or a code block; the whole text when there is no such place."""
    if len(text) <= limit:
        return text
    cuts = []
    for m in re.finditer(r"\n\n|(?<=[.!?])\s", text[:limit + 1]):
        if len(_FENCE_LINE.findall(text[:m.start()])) % 2 == 0:
            cuts.append(m.start())
    return text[:cuts[-1]].rstrip() if cuts else text


# A docstring reads as a task when its first word is a bare verb ("Add an item", not "Adds", "Returns",
# "The ...", "How a README command is checked").
_NOT_TASK = {"a", "an", "the", "this", "that", "these", "how", "why", "what", "when", "whether", "if", "none",
             "true", "false", "internal", "helper", "deprecated", "todo", "see", "note", "used", "called",
             "like", "same", "default", "one", "all", "each", "every", "only", "main", "entry", "wrapper",
             "base", "simple", "tests", "test", "example", "it", "we", "you", "nix", "python", "new", "fast"}


def reads_as_task(doc: str) -> bool:
    words = doc.split()
    if len(words) < 3 or doc.endswith("?") or ":" in doc or ";" in doc or "`" in words[0]:
        return False
    w = words[0].lower()
    if not w.isalpha() or w in _NOT_TASK:
        return False
    if w.endswith("ing") or w.endswith("ed") or (w.endswith("s") and not w.endswith("ss")):
        return False
    return True


class Generator:
    def __init__(self, system: str, seed: int = 0, negative_ratio: float = 0.5,
                 members: dict[str, list[tuple]] | None = None,
                 pools: dict[str, list[str]] | None = None, paraphrases: int = 5,
                 packages: dict[str, list[dict]] | None = None, broken: set[str] | None = None):
        self.system, self.seed, self.negative_ratio = system, seed, negative_ratio
        self.paraphrases = paraphrases
        self.packages = packages or {}   # attribute -> [{id, path, facts}], every package in the graph
        self.ambiguous = {a for a, defs in self.packages.items() if len(defs) > 1}
        self.broken = broken or set()   # "source:path" of files that did not parse: no package facts from them
        self.stated: set[str] = set()   # (fact kind, option path): a module and the options dump declare the same
        self.members = members or {}     # container id -> [(name, "kind:lang", inherited_from)] (graph/members.py)
        self.pools = pools or {}         # "kind:lang" -> names seen anywhere (for plausible negatives)
        self.positives = 0
        self.negatives = 0
        self.topic: tuple[str, str, str] | None = None

    def ex(self, n: dict, user: str, assistant: str, category: str, template: str, refs=None, **meta):
        return make_example(self.system, user, assistant, category, n["source"], refs or [n["id"]], group_of(n),
                            type=n["type"], kind=n["kind"], template=template, **meta)

    # -- the stream ----------------------------------------------------------------------------
    def examples(self, n: dict) -> Iterator[dict]:
        kind = n["kind"]
        if kind == "package" and group_of(n) in self.broken:
            return
        for fact in facts_of(n, self.packages, self.ambiguous):
            if kind in ("option", "option_rename"):
                key = f"{fact['kind']}|{n['qualified_name']}"
                if key in self.stated:   # one statement of a fact, not one per source that declares it
                    continue
                self.stated.add(key)
            yield from self.fact_examples(fact)
        if kind == "package":
            yield from self.package(n)
        elif kind == "option":
            yield from self.option(n)
        elif kind in ("section", "page"):   # a page node carries its intro
            yield from self.wiki(n)
        elif kind == "topic":
            self.topic = (n["path"], n["id"], n.get("docstring") or n["name"])   # its answers follow it
            return
        elif kind == "post":
            yield from self.forum(n)
        elif kind in ("throw", "assert") or n["type"] == "error":
            yield from self.diagnostic(n)
        elif kind in ("function", "method") and n["type"] in ("capability", "recipe"):
            yield from self.explain(n)
            yield from self.howto(n)
        elif kind in CONTAINERS or n["type"] == "capability":
            yield from self.explain(n)
        if n.get("context", {}).get("container") and kind in MEMBER_KINDS and kind not in ("input", "option"):
            yield from self.discovery_positive(n)
        if kind in CONTAINERS and n["id"] in self.members:
            yield from self.discovery_inherited(n)
            yield from self.discovery_negative(n)

    # -- facts, stated in k paraphrases ---------------------------------------------------------
    def fact_examples(self, fact: dict) -> Iterator[dict]:
        """`paraphrases` training examples (distinct training question forms, varied answer forms),
        then one example per held-out form (meta.heldout: for the fact-recall eval, never trained on)."""
        kind, n = fact["kind"], fact["node"]
        slots = {"value": fact["value"] if isinstance(fact["value"], str) else "", **fact["slots"]}
        forms = train_forms(kind)
        start = _h(self.seed, fact["id"] + ":q") % len(forms)
        chosen = [forms[(start + i) % len(forms)] for i in range(min(self.paraphrases, len(forms)))]
        subject = fact["slots"].get("attr") or fact["slots"].get("opt")
        meta = {"fact_id": fact["id"], "fact": {"kind": kind, "value": fact["value"],
                                                **({"subject": subject} if subject else {})}}
        answers = ANSWERS[kind]
        a0 = _h(self.seed, fact["id"] + ":a")
        for i, form in enumerate(chosen):
            q = QUESTIONS[kind][form].format(**slots)
            a = answers[(a0 + i) % len(answers)].format(**slots)
            yield self.ex(n, q, a, "fact", f"{kind}:q{form}", **meta)
        for form in heldout_forms(kind):
            q = QUESTIONS[kind][form].format(**slots)
            a = answers[a0 % len(answers)].format(**slots)
            yield self.ex(n, q, a, "fact", f"{kind}:q{form}", heldout=True, **meta)

    def builder_howtos(self) -> Iterator[dict]:
        """"How do I package a Go program in Nix?", answered with real packages of that builder from the
        graph as worked examples (one per paraphrase, cited by path)."""
        by_builder: dict[str, list[dict]] = {}
        for attr, defs in sorted(self.packages.items()):
            for d in defs:
                b = (d["facts"] or {}).get("builder")
                if b in BUILDER_LANGS and not (d["facts"].get("expressions") or {}).get("builder"):
                    by_builder.setdefault(b, []).append({**d, "attr": attr})
        for builder, pkgs in sorted(by_builder.items()):
            lang = BUILDER_LANGS[builder]
            forms = train_forms("builder_howto")
            start = _h(self.seed, builder + ":howto") % len(forms)
            for i in range(min(self.paraphrases, len(forms))):
                form = forms[(start + i) % len(forms)]
                p = pkgs[(_h(self.seed, builder) + i) % len(pkgs)]
                facts = {k: v for k, v in p["facts"].items() if k not in (p["facts"].get("expressions") or {})}
                slots = {"lang": lang, "builder": builder, "attr": p["attr"], "path": p["path"],
                         "code": package_expression(facts, facts.get("pname") or p["attr"])}
                answers = ANSWERS["builder_howto"]
                a = answers[(start + i) % len(answers)].format(**slots)
                node = {"id": p["id"], "source": p["id"].split(":", 1)[0], "path": f"howto:{builder}",
                        "type": "recipe", "kind": "howto"}
                # a fact_id: its paraphrases repeat the builder by design (no answer-level dedup)
                yield self.ex(node, QUESTIONS["builder_howto"][form].format(**slots), a, "howto",
                              f"builder_howto:q{form}", fact_id=f"howto:{builder}",
                              fact={"kind": "builder_howto", "value": builder})

    # -- code graph ----------------------------------------------------------------------------
    def explain(self, n):
        if n["kind"] == "module":
            options = [f"What is in `{n['path']}`?", f"What does the file `{n['path']}` contain?"]
        else:
            qn, path = n["qualified_name"], n["path"]   # the file too: a name alone is often not unique
            options = [f"What does `{qn}` in `{path}` do?", f"Explain `{qn}` from `{path}`.",
                       f"What is `{qn}` in `{path}`?"]
        q = pick(options, self.seed, n["id"] + ":explain")
        a = n["summary"]
        if n.get("docstring") and len(n["docstring"]) > len(_first_line(n["docstring"])) + 20:
            a += "\n\n" + clip(n["docstring"], 1200)
        yield self.ex(n, q, a, "explain", "explain")

    def howto(self, n):
        doc = _first_line(n.get("docstring"))
        if not doc or not n.get("signature") or not reads_as_task(doc):
            return
        task = doc.rstrip(".")
        task = task[0].lower() + task[1:] if task[:1].isupper() and not task[1:2].isupper() else task
        q = pick([f"How do I {task}?", f"Which function should I use to {task}?"], self.seed, n["id"] + ":howto")
        if n["lang"] == "nix":   # the signature is a summary (`f = a: b: ...`), not code
            a = f"Use `{n['qualified_name']}` from `{n['path']}` (`{n['signature']}`).\n\n{n['summary']}"
        else:
            a = (f"Use `{n['qualified_name']}` from `{n['path']}`:\n\n{code_block(n['signature'], n['lang'])}"
                 f"\n\n{n['summary']}")
        yield self.ex(n, q, a, "howto", "function_howto")

    def discovery_positive(self, n):
        container = n["context"]["container"]
        what = MEMBER_KINDS[n["kind"]]
        self.positives += 1
        q = pick([f"Does `{container}` have a {what} called `{n['name']}`?",
                  f"Is there a {what} `{n['name']}` in `{container}`?"], self.seed, n["id"] + ":disc")
        a = f"Yes. {n['summary']}"
        yield self.ex(n, q, a, "discovery", "member_exists")

    def discovery_inherited(self, n):
        """Positives for members a container inherits ("Does `Counting` have `count`?" -> yes, from its base)."""
        inherited = [(m, k, base) for m, k, base in self.members.get(n["id"], []) if base and m != OPEN]
        for i, (m, k, base) in enumerate(sorted(inherited, key=lambda e: _h(self.seed, f"{n['id']}:inh:{e[0]}"))[:2]):
            what = MEMBER_KINDS.get(k.split(":", 1)[0], k.split(":", 1)[0])
            self.positives += 1
            q = pick([f"Does `{n['qualified_name']}` have a {what} called `{m}`?",
                      f"Is there a {what} `{m}` in `{n['qualified_name']}`?"], self.seed, f"{n['id']}:inhq:{i}")
            a = f"Yes. `{n['qualified_name']}` inherits the {what} `{m}` from `{base}`."
            yield self.ex(n, q, a, "discovery", "member_inherited")

    def discovery_negative(self, n):
        entries = self.members[n["id"]]
        if not entries or any(m == OPEN for m, _, _ in entries):
            return   # a base outside the graph: its members are unknown, so nothing is known to be absent
        members = [(m, k) for m, k, _ in entries]
        origin = {m: base for m, _, base in entries}
        names = {m for m, _ in members}
        kinds = sorted({k for _, k in members})
        budget = int(len(members) * self.negative_ratio + (_h(self.seed, n["id"] + ":negfrac") % 1000) / 1000)
        chosen: set[str] = set()
        for i in range(min(budget, 3)):
            kind = kinds[_h(self.seed, f"{n['id']}:negkind:{i}") % len(kinds)]
            pool = self.pools.get(kind) or []
            if not pool:
                continue
            start = _h(self.seed, f"{n['id']}:neg:{i}") % len(pool)
            absent = next((pool[(start + j) % len(pool)] for j in range(min(len(pool), 50))
                           if pool[(start + j) % len(pool)] not in names | chosen), None)
            if absent is None:
                continue
            chosen.add(absent)
            same_kind = sorted(m for m, k in members if k == kind) or sorted(names)
            closest = closest_name(absent, same_kind)
            base = kind.split(":", 1)[0]
            what = MEMBER_KINDS.get(base, base)
            q = pick([f"Does `{n['qualified_name']}` have a {what} called `{absent}`?",
                      f"Is there a {what} `{absent}` in `{n['qualified_name']}`?"], self.seed,
                     f"{n['id']}:negq:{i}")
            listing = ", ".join(f"`{m}`" + (f" (from `{origin[m]}`)" if origin.get(m) else "")
                                for m in same_kind[:8]) + (" …" if len(same_kind) > 8 else "")
            where = "" if n["qualified_name"] == n["path"] else f" (in `{n['path']}`)"
            a = (f"No, `{n['qualified_name']}`{where} has no {what} named `{absent}`, neither its own nor "
                 f"inherited; the closest is `{closest}`. Its {what}s are: {listing}.") if any(origin.values()) else (
                 f"No, `{n['qualified_name']}`{where} has no {what} named `{absent}`; the closest is "
                 f"`{closest}`. Its {what}s are: {listing}.")
            self.negatives += 1
            yield self.ex(n, q, a, "discovery", "member_absent", negative=True)

    def diagnostic(self, n):
        if n["kind"] == "throw":
            msg = n.get("docstring") or n["name"]
            q = pick([f"Why does Nix fail with `error: {msg}`?", f"What causes the error \"{msg}\" in `{n['path']}`?"],
                     self.seed, n["id"] + ":diag")
            a = (f"That message comes from a `throw` in `{n['path']}` (line {n['lines'][0]}): evaluation stops with "
                 f"`{msg}` when that branch is reached.")
            container = n.get("context", {}).get("container")
            if container and container != n["path"]:
                a += f" It is part of `{container}`."
            yield self.ex(n, q, a, "diagnostics", "nix_throw")
        elif n["kind"] == "assert":
            cond = (n.get("facts") or {}).get("condition") or n["name"]
            q = f"Why does evaluating `{n['path']}` fail with an assertion?"
            a = (f"`{n['path']}` asserts `{cond}` (line {n['lines'][0]}). When the condition is false, Nix stops "
                 f"with `assertion '{cond}' failed`; make it hold (for example by choosing a supported platform "
                 f"or input) before using the expression.")
            yield self.ex(n, q, a, "diagnostics", "nix_assert")
        else:
            q = pick([f"When is `{n['qualified_name']}` raised?", f"What does the error `{n['name']}` mean?"],
                     self.seed, n["id"] + ":diag")
            a = n["summary"]
            if n.get("context", {}).get("callers"):
                a += " It is used by " + ", ".join(f"`{c}`" for c in n["context"]["callers"][:5]) + "."
            yield self.ex(n, q, a, "diagnostics", "exception_type")

    # -- Nix -------------------------------------------------------------------------------------
    def package(self, n):
        f = n.get("facts") or {}
        name = f.get("pname") or n["name"]
        attr = f.get("attr") or name
        desc = ((f.get("meta") or {}).get("description") or "").rstrip(".")
        q = pick([f"How is the `{attr}` package defined in nixpkgs?", f"Show me the Nix expression for `{attr}`."],
                 self.seed, n["id"] + ":def")
        a = (f"`{name}` is defined in `{n['path']}`" + (f" ({desc})" if desc else "") + ". Its derivation, in "
             f"short:\n\n{code_block(package_expression(f, name))}")
        yield self.ex(n, q, a, "package_definition", "package_expression")
        if f.get("version"):
            q = pick([f"Which version of `{attr}` does nixpkgs have, and how do I pin another one?",
                      f"How can I pin `{attr}` to a different version?"], self.seed, n["id"] + ":pin")
            a = (f"nixpkgs has `{name}` {f['version']} (`{n['path']}`). To use another version, override `version` "
                 f"and `src` in an overlay; build once with `lib.fakeHash` and put the hash Nix prints in its "
                 f"place:\n\n{code_block(pin_overlay(attr, f))}")
            yield self.ex(n, q, a, "version_pinning", "overlay_pin")
        src = f.get("src") or {}
        if src.get("fetcher"):
            args = src.get("args") or {}
            where = "/".join(x for x in (args.get("owner"), args.get("repo")) if x) or args.get("url") or ""
            q = f"Where does the `{attr}` package get its source from?"
            a = f"`{name}` fetches its source with `{src['fetcher']}`" + (f" from {where}" if where else "") + ":\n\n"
            a += code_block(fetcher_call(src))
            yield self.ex(n, q, a, "source_fetcher", "fetcher")
        inputs = f.get("inputs") or {}
        if inputs:
            q = pick([f"What does `{attr}` depend on?", f"Which build inputs does the `{attr}` package declare?"],
                     self.seed, n["id"] + ":deps")
            parts = []
            labels = {"nativeBuildInputs": "tools needed at build time (nativeBuildInputs)",
                      "buildInputs": "libraries it links against (buildInputs)",
                      "propagatedBuildInputs": "dependencies passed on to its users (propagatedBuildInputs)"}
            for key, items in sorted(inputs.items()):
                parts.append(f"- {labels.get(key, key)}: " + ", ".join(f"`{i}`" for i in items))
            a = f"`{name}` (`{n['path']}`) declares:\n" + "\n".join(parts)
            yield self.ex(n, q, a, "dependencies", "inputs")
            dep_names = {i.split(".")[-1] for items in inputs.values() for i in items}
            pool = self.pools.get("package") or []
            if pool and self.negative_ratio > 0:
                start = _h(self.seed, n["id"] + ":negdep") % len(pool)
                absent = next((pool[(start + j) % len(pool)] for j in range(min(len(pool), 50))
                               if pool[(start + j) % len(pool)] not in dep_names | {name, attr}), None)
                if absent and _h(self.seed, n["id"] + ":negdep?") % 1000 < self.negative_ratio * 1000:
                    flat = sorted(dep_names)
                    closest = closest_name(absent, flat)
                    q = f"Does `{attr}` depend on `{absent}`?"
                    a = (f"No, `{name}` does not list `{absent}` among its inputs in `{n['path']}`; the closest is "
                         f"`{closest}`. It uses: " + ", ".join(f"`{d}`" for d in flat[:10]) + ".")
                    self.negatives += 1
                    yield self.ex(n, q, a, "dependencies", "input_absent", negative=True)

    def option(self, n):
        f = n.get("facts") or {}
        opt = n["qualified_name"]
        if f"option|{opt}" in self.stated:   # declared in a module and in the options dump: explain it once
            return
        self.stated.add(f"option|{opt}")
        q = pick([f"What does the NixOS option `{opt}` do?", f"Explain the NixOS option `{opt}`."],
                 self.seed, n["id"] + ":opt")
        a = n["summary"]
        typ = str(f.get("type") or "")
        value = "true" if "bool" in typ and opt.endswith(".enable") else literal(f.get("example"), typ) or \
            literal(f.get("default"), typ)
        if value is not None:
            a += "\n\nIn `configuration.nix`:\n\n" + code_block(option_setting(opt, value))
        yield self.ex(n, q, a, "options", "option_explain")
        if opt.endswith(".enable") and "bool" in typ:
            service = opt.removesuffix(".enable")
            q = f"How do I enable `{service}` on NixOS?"
            a = (f"Set `{opt}` to `true` in your NixOS configuration and rebuild (`nixos-rebuild switch`):\n\n"
                 f"{code_block(option_setting(opt, 'true'))}")
            if n.get("docstring"):
                a += f"\n\n{_first_line(n['docstring'])}"
            yield self.ex(n, q, a, "options", "option_enable")

    def wiki(self, n):
        f = n.get("facts") or {}
        code = [c for c in f.get("code") or [] if (c.get("lang") or "nix") == "nix"]
        text = (n.get("docstring") or "").strip()
        if not text:
            return
        page = n["qualified_name"].split(" > ", 1)[0]
        title = n["name"]
        if n["kind"] == "page":
            q = pick([f"What does the NixOS wiki say about {page}?", f"What is {page}, according to the NixOS wiki?"],
                     self.seed, n["id"] + ":wiki")
            category = "explain"
        elif n["type"] == "recipe":
            q = pick([f"How do I do \"{title}\" for {page} on NixOS?", f"{page}: {title.lower()} — how does it work?"],
                     self.seed, n["id"] + ":wiki")
            category = "wiki_guide"
        else:
            q = f"What does the NixOS wiki say about \"{title}\" on the {page} page?"
            category = "explain"
        a = cap(text, 2500)   # whole blocks: a code fence is never cut open
        for c in code[:2]:
            if c["text"].strip() not in a:
                a += "\n\n" + code_block(c["text"])
        url = f.get("url")
        if url:
            a += f"\n\n(Source: NixOS wiki, {url})"
        yield self.ex(n, q, a, category, "wiki_intro" if n["kind"] == "page" else "wiki_section")

    def forum(self, n):
        f = n.get("facts") or {}
        topic = n["name"].rsplit(" #", 1)[0]
        answer = (n.get("docstring") or "").strip()
        if not answer:
            return
        code = [c for c in f.get("code") or [] if c.get("text")]
        for c in code[:2]:
            if c["text"].strip() not in answer:
                answer += "\n\n" + code_block(c["text"], c.get("lang") or "nix")
        refs = [n["id"]]
        question = topic
        if self.topic and self.topic[0] == n["path"]:
            refs.append(self.topic[1])
            question = f"{topic}\n\n{self.topic[2]}".strip()
        yield self.ex(n, cap(question, 3000), answer, "troubleshooting", f"forum_{f.get('role') or 'reply'}",
                      refs=refs)


def curated_examples(items: list[dict], system: str, origin: str) -> Iterator[dict]:
    for i, item in enumerate(items):
        yield make_example(system, item["question"].strip(), item["answer"].strip(), item.get("category", "curated"),
                           "curated", [], f"curated:{origin}#{i}", type="recipe", kind="curated",
                           template="curated", tags=item.get("tags", []))

