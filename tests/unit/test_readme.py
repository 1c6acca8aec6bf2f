"""Every command in the README's shell blocks (```bash, ```sh, ```shell, ```console) is run, or dry-run,
on a temporary copy of the project (the checkout's data/, models/ and logs/ are never touched).

- cheap commands run as written: `nanodex check-config|extract|graph-stats`, interactive `nanodex ask`
  (empty input), anything with `--help`, `snakemake -n`, `make -n`;
- `snakemake ...` runs as a dry run (`-n` added): nothing is scraped, trained or served;
  `--profile profiles/<name>`: the profile's config.yaml exists and is YAML, then the command is dry-run
  without the profile and `--executor` (cluster executor plugins are not needed for a dry run);
  `--software-deployment-method conda` without conda on PATH: every env the rules name exists and is YAML
  (test_envs.py checks their contents), then a dry run without it;
- `make <target>` runs as `make -n <target>`;
- `nix develop|build|run [.#name]`: flake.nix defines that output (flake.nix is checked by test_envs.py);
- the rest is in STAND_INS below, with how each is checked. A command that none of these covers fails
  the test, so a new README command cannot go untested.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from flakeinfo import ROOT, outputs, parse

README = ROOT / "README.md"
SHELL_BLOCKS = {"bash", "sh", "shell", "console"}
BIN = str(Path(sys.executable).parent)
# Beside what the Snakefile needs, what the README's make / nix commands read.
EXTRA_FILES = ["Makefile", "pyproject.toml", "requirements.lock", "README.md", "flake.nix", "flake.lock", "nix"]
CHEAP_NANODEX = {"check-config", "extract", "graph-stats"}
SNAKEMAKE_DRY = {"-n", "--dry-run", "--dryrun"}


@dataclass
class Check:
    how: str
    argv: list[str] | None = None  # run in the project copy; must exit 0
    setup: list[str] = field(default_factory=list)  # names of SETUPS, run first
    stdin: str = ""
    verify: object = None  # callable(workdir) -> None, for checks that run no command


# Commands that would train, scrape, serve or need a file the demo does not have: how each is checked.
STAND_INS: dict[str, Check] = {
    "nanodex serve --python .venv-serve/bin/python": Check(
        "prints vLLM's command line (--print) for a stub adapter instead of starting the server",
        ["nanodex", "serve", "--python", ".venv-serve/bin/python", "--print"], ["stub_adapter"]),
    "nanodex serve --print": Check("as written, for a stub adapter", ["nanodex", "serve", "--print"], ["stub_adapter"]),
    'nanodex ask "How do I enable nginx on NixOS?"': Check(
        "asks a fake OpenAI-compatible server (--url) instead of vLLM",
        ["nanodex", "ask", "How do I enable nginx on NixOS?", "--url", "{fake_openai}/v1"], ["fake_openai"]),
    "nanodex extract ~/src/some-repo -o repo.sqlite": Check(
        "extracts data/demo (the README's path is a placeholder)",
        ["nanodex", "extract", "data/demo", "-o", "repo.sqlite"]),
    ". .venv/bin/activate": Check("the venv's activate script is what the README's python -m venv makes: "
                                  "this test's own interpreter is in such a venv", verify=lambda work: check_venv()),
    "cat reports/demo/eval.md": Check(
        "the eval rule writes reports/<train.run>/eval.md and the demo's run is `demo`",
        verify=lambda work: check_eval_output(work)),
    'nanodex ask --local "How do I enable nginx on NixOS?"': Check(
        "as written, on a tiny model and an untrained adapter made on the spot in models/demo/adapter",
        ["nanodex", "ask", "--local", "How do I enable nginx on NixOS?", "--max-tokens", "4"], ["tiny_adapter"]),
    "nanodex ask --local": Check("as written, with empty input (ends the interactive loop), on the tiny adapter",
                                 ["nanodex", "ask", "--local"], ["tiny_adapter"]),
    "snakemake --report report.html": Check(
        "a report needs a finished run (tests/integration/test_report.py builds one and screenshots it): "
        "here the DAG resolves and every caption the rules name exists",
        ["snakemake", "-n", "all"], verify=lambda work: check_report_captions(work)),
    "nanodex graph-stats data/brain/graph.sqlite": Check(
        "on a graph made by `nanodex extract data/demo` instead of the pipeline's merge",
        ["nanodex", "graph-stats", "data/brain/graph.sqlite"], ["graph_from_extract"]),
}


def readme_commands(text: str) -> list[tuple[int, str]]:
    """(line number, command) of every command in the shell blocks: comments dropped, `\\` continuations
    joined; in ```console blocks only the `$ ` lines (the rest is output)."""
    found = []
    for m in re.finditer(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", text, re.S | re.M):
        if m.group(1) not in SHELL_BLOCKS:
            continue
        first = text.count("\n", 0, m.start(2)) + 1
        pending, start = "", 0
        for i, line in enumerate(m.group(2).splitlines()):
            if m.group(1) == "console" and not pending:
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            if not pending:
                start = first + i
            if pending:
                line = line.lstrip()
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1].rstrip() + " "
                continue
            command, pending = strip_comment(pending + line), ""
            if command:
                found.append((start, command))
    return found


def strip_comment(line: str) -> str:
    """The command without its trailing comment: as in the shell, `#` starts one at the start of a word
    and outside quotes (`.#train` and `"a # b"` stay)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].strip()
    return line.strip()


def key(command: str) -> str:
    return shlex.join(shlex.split(strip_comment(command)))


def plan(command: str) -> Check | None:
    """How a README command is checked; None: not covered."""
    if key(command) in {key(k) for k in STAND_INS}:
        return next(c for k, c in STAND_INS.items() if key(k) == key(command))
    argv = shlex.split(command)
    if not argv or any(t in {"|", "||", "&&", ";", ">", ">>", "<"} for t in argv):
        return None  # pipelines and lists only through STAND_INS
    prog, args = argv[0], argv[1:]
    if "--help" in args or "-h" in args:
        return Check("as written", argv)
    if prog == "nanodex" and args and args[0] in CHEAP_NANODEX:
        return Check("as written", argv)
    if prog == "nanodex" and args == ["ask"]:
        return Check("as written, with empty input (ends the interactive loop)", argv)
    if prog == "make":
        return Check("as written" if "-n" in args else "dry run (make -n)", argv if "-n" in args else
                     ["make", "-n", *args])
    if prog == "snakemake":
        return snakemake_plan(argv)
    if prog == "nix":
        return nix_plan(args)
    return None


def snakemake_plan(argv: list[str]) -> Check:
    args, how, checks = list(argv[1:]), [], []
    if "--profile" in args:
        profile = args[args.index("--profile") + 1]
        how.append(f"profile {profile}: config.yaml is YAML")
        checks.append(lambda work, profile=profile: check_profile(work, profile))
        if not executor_installed(ROOT / profile):   # then dry-run without it (snakemake would refuse)
            i = args.index("--profile")
            del args[i:i + 2]
            how.append("its executor plugin is not installed: dry run without the profile")
            for flag in ("--executor", "-e"):
                if flag in args:
                    i = args.index(flag)
                    del args[i:i + 2]
    for flag in ("--software-deployment-method", "--sdm"):
        if flag in args and args[args.index(flag) + 1] == "conda" and not shutil.which("conda"):
            i = args.index(flag)
            del args[i:i + 2]
            how.append("no conda here: the rules' env files exist and are YAML")
            checks.append(check_conda_envs)
    dry = SNAKEMAKE_DRY & set(args)
    how.append("as written" if dry and not checks else "dry run (-n)")
    return Check("; ".join(how), ["snakemake", *args] if dry else ["snakemake", "-n", *args],
                 verify=lambda work: [c(work) for c in checks])


def executor_installed(profile: Path) -> bool:
    """A dry run with a cluster profile needs its executor plugin (not a cluster): snakemake then also
    checks every key of the profile."""
    config = profile / "config.yaml"
    executor = (yaml.safe_load(config.read_text()) or {}).get("executor", "local") if config.is_file() else "local"
    return executor in ("local", "dryrun") or importlib.util.find_spec(
        f"snakemake_executor_plugin_{executor.replace('-', '_')}") is not None


def check_profile(work: Path, profile: str):
    configs = [p for p in (work / profile / "config.v8+.yaml", work / profile / "config.yaml") if p.is_file()]
    assert configs, f"{profile}: no config.yaml"
    config = configs[0]
    assert isinstance(yaml.safe_load(config.read_text()), dict), f"{config}: not a YAML mapping"


def check_conda_envs(work: Path):
    named = {m for smk in (work / "rules").glob("*.smk") for m in re.findall(r'conda:\s*"([^"]+)"', smk.read_text())}
    assert named, "no rule names a conda env"
    for rel in named:
        env = (work / "rules" / rel).resolve()
        assert env.is_file(), f"{rel}: missing"
        assert "dependencies" in yaml.safe_load(env.read_text()), f"{rel}: no dependencies"


NIX_OUTPUTS = {"develop": ("devShells",), "build": ("packages",), "run": ("apps", "packages"), "shell": ("packages",)}


def nix_plan(args: list[str]) -> Check | None:
    if not args or args[0] not in NIX_OUTPUTS:
        return None
    positional = [a for a in args[1:] if not a.startswith("-")]
    installable = positional[0] if positional else "."
    flake, _, name = installable.partition("#")
    if flake not in (".", ""):
        return None
    name = name or "default"
    kinds = NIX_OUTPUTS[args[0]]

    def verify(work):
        defined = outputs(parse(work / "flake.nix"))
        assert any(f"{k}.{name}" in defined for k in kinds), (
            f"flake.nix defines none of {[f'{k}.{name}' for k in kinds]}; it has {sorted(defined)}")

    return Check(f"flake.nix defines {' or '.join(f'{k}.{name}' for k in kinds)} (no nix build here)", verify=verify)


# ---------------------------------------------------------------------------------------------------


def check_venv():
    assert (Path(sys.prefix) / "bin" / "activate").is_file() or os.environ.get("IN_NIX_SHELL"), (
        f"{sys.prefix}: no bin/activate; the README's `. .venv/bin/activate` assumes a venv")


def check_eval_output(work: Path):
    cfg = yaml.safe_load((work / "config/config.yaml").read_text())
    assert cfg["train"]["run"] == "demo", cfg["train"]["run"]
    assert 'md=f"reports/{TRAIN_RUN}/eval.md"' in (work / "rules/eval.smk").read_text()


def check_report_captions(work: Path):
    named = {m for f in [work / "Snakefile", *(work / "rules").glob("*.smk")]
             for m in re.findall(r'(?:caption=|report:\s*)"([^"]+\.rst)"', f.read_text())}
    assert named, "no report caption named"
    for rel in named:
        assert ((work / "rules" / rel).resolve().is_file() or (work / rel).is_file()), f"{rel}: missing"


def tiny_adapter(work: Path, env: dict, stack):
    import json

    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from nanodex.train.tiny import make_tiny_model

    base = make_tiny_model(work / "tiny-model", ["How do I enable nginx on NixOS?"] * 10)
    adapter = work / "models/demo/adapter"
    get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                   LoraConfig(r=4, target_modules="all-linear", task_type="CAUSAL_LM")).save_pretrained(adapter)
    AutoTokenizer.from_pretrained(base).save_pretrained(adapter)
    (adapter / "nanodex_train.json").write_text(json.dumps({"config": {"base_model": str(base)},
                                                            "system_prompt": "You are nanodex."}))


def stub_adapter(work: Path, env: dict, stack):
    adapter = work / "models/demo/adapter"
    adapter.mkdir(parents=True)
    (adapter / "adapter_config.json").write_text('{"r": 8, "peft_type": "LORA"}\n')


def graph_from_extract(work: Path, env: dict, stack):
    (work / "data/brain").mkdir(parents=True)
    subprocess.run(["nanodex", "extract", "data/demo", "-o", "data/brain/graph.sqlite", "--workers", "1"],
                   cwd=work, env=env, check=True, capture_output=True)


def fake_openai(work: Path, env: dict, stack):
    from nanodex.testing.fakes import FakeOpenAI

    server = stack.enter_context(FakeOpenAI())
    env["fake_openai"] = server.url


SETUPS = {"stub_adapter": stub_adapter, "tiny_adapter": tiny_adapter, "graph_from_extract": graph_from_extract,
          "fake_openai": fake_openai}

COMMANDS = readme_commands(README.read_text())


def test_readme_has_commands_and_every_one_is_covered():
    assert len(COMMANDS) >= 10, COMMANDS
    uncovered = [f"README.md:{line}: {cmd}" for line, cmd in COMMANDS if plan(cmd) is None]
    assert not uncovered, ("README commands neither run nor covered; add each to STAND_INS in "
                           "tests/unit/test_readme.py (how it is checked) or make it cheap:\n" + "\n".join(uncovered))


def test_every_stand_in_is_still_in_the_readme():
    in_readme = {key(cmd) for _, cmd in COMMANDS}
    stale = [k for k in STAND_INS if key(k) not in in_readme]
    assert not stale, f"STAND_INS entries no longer in README.md: {stale}"


@pytest.mark.parametrize(("line", "command"), COMMANDS, ids=[f"L{line}:{cmd[:50]}" for line, cmd in COMMANDS])
def test_readme_command(line, command, tmp_path):
    from contextlib import ExitStack

    check = plan(command)
    if check is None:
        pytest.fail(f"README.md:{line}: `{command}` is neither run nor covered (see test_readme_has_commands...)")
    work = copy_project(tmp_path / "project", EXTRA_FILES)
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    with ExitStack() as stack:
        for name in check.setup:
            SETUPS[name](work, env, stack)
        if check.verify:
            check.verify(work)
        if check.argv:
            # {NAME} placeholders from the environment; other braces (JSON in --config) stay as written
            argv = [re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), m.group(0)), a)
                    for a in check.argv]
            out = subprocess.run(argv, cwd=work, env=env, input=check.stdin, capture_output=True, text=True,
                                 timeout=120)
            assert out.returncode == 0, (f"README.md:{line}: `{command}` ({check.how}: {shlex.join(argv)}) "
                                         f"exited {out.returncode}:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")


# ---------------------------------------------------------------------------------------------------
# the parser and the classification themselves


def test_commands_are_read_from_shell_blocks_only():
    text = ("intro `make train`\n```bash\nmake train   # comment\nsnakemake -c8 \\\n  graph\n\n```\n"
            "```yaml\nkey: value\n```\n```console\n$ nanodex --help\nusage: nanodex\n```\n"
            "```sh\nnix develop .#train  # a \"quoted\" comment\nnanodex ask \"a # b\"\n```\n"
            "```\nnot a command\n```\n")
    assert readme_commands(text) == [(3, "make train"), (4, "snakemake -c8 graph"), (12, "nanodex --help"),
                                     (16, "nix develop .#train"), (17, 'nanodex ask "a # b"')]


def test_classification():
    assert plan("snakemake -c8 train").argv == ["snakemake", "-n", "-c8", "train"]
    assert plan("snakemake -n all").argv == ["snakemake", "-n", "all"]
    assert plan("make train").argv == ["make", "-n", "train"]
    assert plan("nix develop .#train").argv is None
    # a cluster profile: dry-run with it when its executor plugin is here (the slurm extra), else without
    check = plan("snakemake --profile profiles/slurm -c8 train")
    assert "profiles/slurm" in check.how
    if executor_installed(ROOT / "profiles/slurm"):
        assert check.argv == ["snakemake", "-n", "--profile", "profiles/slurm", "-c8", "train"]
    else:
        assert check.argv == ["snakemake", "-n", "-c8", "train"]
        assert plan("snakemake --profile profiles/slurm --executor slurm -j 20 all").argv == [
            "snakemake", "-n", "-j", "20", "all"]
    for uncovered in ("curl https://example.org", "nanodex serve --port 9000", "make train && make test",
                      "nix flake update", "nix run github:owner/repo"):
        assert plan(uncovered) is None, uncovered


def test_profile_check_runs(tmp_path):
    work = copy_project(tmp_path / "project", EXTRA_FILES)
    check = plan("snakemake --profile profiles/default all")
    check.verify(work)
    with pytest.raises(AssertionError, match="no config.yaml"):
        plan("snakemake --profile profiles/missing all").verify(work)
