"""Question and answer forms for fact-level examples, per fact kind.

Every kind has at least 8 question forms. The last `HELDOUT` forms of each kind are reserved for the
eval (fact recall on phrasings never trained on): the generator never writes them to train.jsonl.
Slots: `{s}` is the subject as the question names it (an attribute or option path, with its file when
the name is not unique); the other slots are the fact's fields.
"""

from __future__ import annotations

HELDOUT = 2   # question forms per kind kept out of training

QUESTIONS: dict[str, list[str]] = {
    "pkg_version": [
        "Which version of {s} does nixpkgs package?",
        "What version is the {s} package in nixpkgs?",
        "Tell me the version of {s} in nixpkgs.",
        "In nixpkgs, {s} is at which version?",
        "What is the current nixpkgs version of {s}?",
        "Which release of {s} do I get from nixpkgs?",
        "If I install {s} from nixpkgs, what version do I get?",
        "What `version` does the nixpkgs expression for {s} set?",
    ],
    "pkg_builder": [
        "Which builder does the nixpkgs package {s} use?",
        "How is {s} built in nixpkgs: with which builder function?",
        "What function builds {s} in nixpkgs?",
        "Which nixpkgs builder is {s} defined with?",
        "Name the builder used by the {s} derivation.",
        "Is {s} built with stdenv.mkDerivation or a language builder?",
        "What does the package expression of {s} call to build it?",
        "Which build helper produces the {s} package?",
    ],
    "pkg_source": [
        "Where does {s} get its source from in nixpkgs?",
        "Which fetcher does the {s} package use for its source?",
        "How does nixpkgs fetch the source of {s}?",
        "What is the `src` of {s} in nixpkgs?",
        "From where is the source code of {s} downloaded?",
        "Which fetch function appears in the {s} expression?",
        "Tell me how {s} obtains its sources.",
        "What fetcher and location does the {s} package's src use?",
    ],
    "pkg_deps": [
        "What does {s} depend on in nixpkgs?",
        "Which build inputs does the {s} package declare?",
        "List the dependencies of {s}.",
        "What are the inputs of the nixpkgs package {s}?",
        "Which packages does {s} need to build?",
        "Name the dependencies declared by {s}.",
        "Which other packages does the {s} derivation pull in?",
        "What goes into the input lists of {s}?",
    ],
    "pkg_provides": [
        "Which nixpkgs package provides this: {desc}?",
        "I need {desc_lc}. Which package in nixpkgs is that?",
        "What is the nixpkgs attribute of the package described as \"{desc}\"?",
        "Which package should I install for {desc_lc}?",
        "Name the nixpkgs package whose description is \"{desc}\".",
        "Is there a package in nixpkgs for {desc_lc}?",
        "Which attribute in nixpkgs gives me {desc_lc}?",
        "What package matches the description \"{desc}\" in nixpkgs?",
    ],
    "dep_does": [
        "What does {s}'s dependency `{dep}` do?",
        "{s} depends on `{dep}`: what is that package?",
        "What is `{dep}`, which {s} lists as an input?",
        "Explain the `{dep}` input of {s}.",
        "Why might {s} need `{dep}`; what does `{dep}` provide?",
        "Describe the package `{dep}` that {s} uses.",
        "One of the inputs of {s} is `{dep}`. What is it for?",
        "What does the `{dep}` package that {s} builds with do?",
    ],
    "opt_type": [
        "What type does the NixOS option {s} have?",
        "Which type is {s}?",
        "What kind of value does {s} take?",
        "What is the declared type of the option {s}?",
        "Which values are allowed for {s} (its type)?",
        "Tell me the type of the NixOS option {s}.",
        "What should I assign to {s}: what is its type?",
        "How is {s} typed in its module?",
    ],
    "opt_default": [
        "What is the default of the NixOS option {s}?",
        "What value does {s} have if I don't set it?",
        "What does {s} default to?",
        "Which default value is declared for {s}?",
        "If {s} is left unset, what is it?",
        "Tell me the default of {s}.",
        "What is {s} set to by default on NixOS?",
        "Without configuration, which value does the option {s} take?",
    ],
    "opt_example": [
        "Give an example value for the NixOS option {s}.",
        "What is the documented example of {s}?",
        "How might I set {s}: what example does its module give?",
        "Show an example setting of {s}.",
        "Which example does the option {s} list?",
        "What would a typical value of {s} look like?",
        "Can you show me an example for {s}?",
        "What example value is declared for {s}?",
    ],
    "opt_module": [
        "Which module declares the NixOS option {s}?",
        "In which file is {s} declared?",
        "Where is the option {s} defined?",
        "Which NixOS module file defines {s}?",
        "Where can I find the declaration of {s}?",
        "What file declares the option {s}?",
        "Which source file holds the declaration of {s}?",
        "Where does the NixOS option {s} come from?",
    ],
    "opt_enables": [
        "Which NixOS option enables {what}?",
        "How do I turn on {what} on NixOS: which option?",
        "What option do I set to enable {what}?",
        "Which option switches on {what} in NixOS?",
        "To enable {what} on NixOS, which option do I set to true?",
        "Name the NixOS option that enables {what}.",
        "What is the enable option for {what}?",
        "Which setting in configuration.nix turns on {what}?",
    ],
    "opt_rename": [
        "What happened to the NixOS option {s}?",
        "Is {s} still a NixOS option?",
        "What replaced the option {s}?",
        "Can I still use {s} in my configuration?",
        "What should I use instead of {s}?",
        "Was {s} renamed or removed?",
        "My configuration sets {s} and NixOS warns: what is the new option?",
        "What is the current name of the NixOS option {s}?",
    ],
    "wiki_point": [
        "What does the NixOS wiki page \"{page}\" say about \"{title}\"?",
        "According to the NixOS wiki ({page}), what about \"{title}\"?",
        "Summarise the \"{title}\" section of the NixOS wiki page \"{page}\".",
        "On the wiki page \"{page}\", what is the point of \"{title}\"?",
        "What does the \"{title}\" part of the {page} wiki page explain?",
        "Tell me what the NixOS wiki's {page} page says under \"{title}\".",
        "What is the gist of \"{title}\" on the NixOS wiki page {page}?",
        "The NixOS wiki page \"{page}\" has a section \"{title}\": what does it say?",
    ],
    "forum_fix": [
        "On the NixOS forum, what fixed \"{topic}\"?",
        "How was \"{topic}\" solved on NixOS Discourse?",
        "What is the accepted fix for \"{topic}\"?",
        "Someone asked on the NixOS forum: \"{topic}\". What was the answer?",
        "What solution did the NixOS forum give for \"{topic}\"?",
        "How do I fix \"{topic}\" (from the NixOS forum)?",
        "What did the accepted answer to \"{topic}\" say?",
        "The forum thread \"{topic}\": what resolved it?",
    ],
    "builder_howto": [
        "How do I package {lang} in Nix?",
        "What is the nixpkgs way to build {lang}?",
        "Show me how to write a Nix package for {lang}.",
        "Which builder do I use to package {lang} in nixpkgs?",
        "How would I write a derivation for {lang}?",
        "Give me a worked example of packaging {lang} with Nix.",
        "I want to add {lang} to nixpkgs: how should the expression look?",
        "What does a nixpkgs expression for {lang} look like?",
    ],
}

ANSWERS: dict[str, list[str]] = {
    "pkg_version": [
        "nixpkgs has {s} at version {value} (`{path}`).",
        "{s} is packaged at version {value}; the expression is `{path}`.",
        "Version {value}. {s} is defined in `{path}`.",
    ],
    "pkg_builder": [
        "{s} is built with `{value}` (`{path}`).",
        "`{path}` defines {s} with `{value}`.",
        "The builder of {s} is `{value}`, in `{path}`.",
    ],
    "pkg_source": [
        "{s} fetches its source with `{value}`{where} (`{path}`).",
        "Its `src` uses `{value}`{where}; see `{path}`.",
        "The source of {s} comes from `{value}`{where}, as written in `{path}`.",
    ],
    "pkg_deps": [
        "{s} (`{path}`) declares {deps}.",
        "The inputs of {s} are {deps} (`{path}`).",
        "According to `{path}`, {s} depends on {deps}.",
    ],
    "pkg_provides": [
        "That is `{value}` (`{path}`): {desc}.",
        "The package `{value}` provides it ({desc}); it is defined in `{path}`.",
        "Install `{value}`, defined in `{path}`: {desc}.",
    ],
    "dep_does": [
        "`{dep}` (`{dep_path}`), an input of {s}, is described as: {desc}.",
        "{s} uses `{dep}` ({dep_path}): {desc}.",
        "`{dep}`: {desc}. It is defined in `{dep_path}` and is an input of {s}.",
    ],
    "opt_type": [
        "{s} has type {value}.",
        "The option {s} is of type {value}.",
        "Its type is {value} ({s}).",
    ],
    "opt_default": [
        "{s} defaults to `{value}`.",
        "The default of {s} is `{value}`.",
        "Left unset, {s} is `{value}`.",
    ],
    "opt_example": [
        "For example:\n\n```nix\n{setting}\n```",
        "An example value of {s} is `{value}`:\n\n```nix\n{setting}\n```",
        "Its module documents this example:\n\n```nix\n{setting}\n```",
    ],
    "opt_module": [
        "{s} is declared in `{value}`.",
        "The module `{value}` declares {s}.",
        "You find the declaration of {s} in `{value}`.",
    ],
    "opt_enables": [
        "Set `{value}` to `true`:\n\n```nix\n{{\n  {value} = true;\n}}\n```",
        "`{value}` enables {what}.",
        "Use `{value} = true;` in your NixOS configuration; it enables {what}.",
    ],
    "opt_rename": [
        "{s} was {how}{to_text}. {message}",
        "{s} is no longer an option: it was {how}{to_text}. {message}",
        "It was {how}{to_text}. {message}",
    ],
    "wiki_point": [
        "{value}\n\n(Source: NixOS wiki, {page} > {title})",
        "The wiki's {page} page says: {value}",
        "{value}",
    ],
    "forum_fix": [
        "{value}",
        "The accepted answer: {value}",
        "It was solved like this: {value}",
    ],
    "builder_howto": [
        "Use `{builder}`. A real example from nixpkgs is `{attr}` (`{path}`):\n\n```nix\n{code}\n```",
        "nixpkgs packages {lang} with `{builder}`; for instance `{attr}` in `{path}`:\n\n```nix\n{code}\n```",
        "Write the expression with `{builder}`, as `{path}` does for `{attr}`:\n\n```nix\n{code}\n```",
    ],
}

# What a builder packages, as the how-to question names it.
BUILDER_LANGS = {
    "buildGoModule": "a Go program",
    "rustPlatform.buildRustPackage": "a Rust program",
    "python3Packages.buildPythonApplication": "a Python application",
    "python3Packages.buildPythonPackage": "a Python library",
    "buildPythonApplication": "a Python application",
    "buildPythonPackage": "a Python library",
    "buildNpmPackage": "a Node.js (npm) program",
    "writeShellApplication": "a shell script",
    "stdenv.mkDerivation": "a C or C++ program with make or autotools",
}


def train_forms(kind: str) -> list[int]:
    return list(range(len(QUESTIONS[kind]) - HELDOUT))


def heldout_forms(kind: str) -> list[int]:
    n = len(QUESTIONS[kind])
    return list(range(n - HELDOUT, n))
