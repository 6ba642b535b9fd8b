"""Reading a form file's YAML safely, and knowing the line of every place in it: what the form
loader (form_loader.py) needs to name the file and line of each problem it finds."""

from __future__ import annotations

import re
from typing import Any

import yaml

from screening_app.errors import FormError, Problem

Path_ = tuple[str | int, ...]
MAX_DEPTH = 40  # nesting of mappings and lists; a form needs about 8


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader for form files, YAML 1.2 booleans only (``yes``, ``no``, ``on`` and ``off``
    stay text: they are answer codes). libyaml parses when PyYAML was built with it (every wheel
    is): parsing the largest form in pure Python took 140 ms and left 3 MiB of the heap behind,
    libyaml takes 4 ms."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse_hostile(text: str) -> None:
    """Reads the events once, before anything is built, and refuses aliases (a "billion laughs"
    file would expand them without end) and more than ``MAX_DEPTH`` levels of nesting (deeper
    would exhaust the stack of the parts that walk the tree); a form needs about 8."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        problem = None
        if isinstance(event, yaml.AliasEvent):
            problem = "aliases (*name) are not allowed in a form file"
        elif isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                problem = f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, _CLOSE):
            depth -= 1
        if problem:
            mark = event.start_mark  # libyaml's mark, alike but of its own type
            raise yaml.composer.ComposerError(None, None, problem, mark)  # type: ignore[arg-type]


def read_yaml(text: str, filename: str) -> tuple[Any, dict[Path_, int]]:
    try:
        _refuse_hostile(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or "not valid YAML"
        raise FormError(
            f"{filename}: YAML syntax error",
            [
                Problem(
                    f"YAML syntax error: {what}; fix the indentation or quoting",
                    f"{filename}{line}",
                )
            ],
        ) from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return data, lines


def _index_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + 1
                _index_lines(value, child, lines)
                lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines)


class Locator:
    """Turns a path inside the file into "file:line" and the nearest question id."""

    def __init__(self, filename: str, lines: dict[Path_, int], raw: Any) -> None:
        self.filename = filename
        self.lines = lines
        self.raw = raw

    def line(self, path: Path_) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def question_id(self, path: Path_) -> str | None:
        if len(path) >= 4 and path[0] == "sections" and path[2] == "questions":
            try:
                question = self.raw["sections"][path[1]]["questions"][path[3]]
            except (KeyError, IndexError, TypeError):
                return None
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                return str(question["id"])
        return None

    def problem(self, path: Path_, message: str) -> Problem:
        qid = self.question_id(path)
        where = f"{self.filename}:{self.line(path)}"
        if qid:
            where += f": {qid}"
        return Problem(message, where)
