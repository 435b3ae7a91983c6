"""The sandbox users' templates run in: Jinja's, with sizes and work bounded.

Jinja's sandbox stops unsafe attribute access and caps `range` (100,000
items), but `"x" * 10**10`, `10 ** 10 ** 10`, `"".ljust(10**10)` or
`"{:>9999999999}".format(1)` would still take the process's memory or time,
and so would loops in loops that write nothing. Sizes are checked where a
value is built, and each render has a budget of work (WORK_BUDGET): every
loop iteration, every `range`, filter and call is charged, a sequence by its
length (its own and its arguments'), so nested loops, filters in loops, a
list extended by itself in a loop and the like stop early. `lipsum` (text
made up on demand) is gone. Refusals are SecurityErrors,
which the render turns into one line naming the template.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sized
from contextvars import ContextVar
from functools import wraps
from string import Formatter
from typing import Any

from jinja2 import nodes, pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.filters import do_center, do_format, do_indent, do_join, do_replace
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, safe_range

# Far beyond any message: the largest is an email of a few hundred KB.
MAX_SIZE = 1_000_000
# 2 ** 4096 is a 1,234-digit number: plenty for a template.
MAX_POWER_BITS = 4096
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
# Units of work one render may do: a loop iteration, an item of a range or of
# a sequence handed to a filter or method, 16 characters of a string handed to
# one. The built-in templates over a digest of thousands of postings use a
# small share; a template over it stops within a second or two.
WORK_BUDGET = 5_000_000
_STRING_CHARS_PER_UNIT = 16
# Methods of a list, dict or set whose work does not grow with its size.
_CONSTANT_METHODS = frozenset({"append", "add", "discard", "get", "items", "keys", "setdefault", "values"})
_DIGITS = re.compile(r"\d{7,}")
_PERCENT_WIDTH = re.compile(r"%[-+ #0]*(?:\d{7,}|\*)|%[-+ #0]*\d*\.(?:\d{7,}|\*)")


def _wide_format(template: str) -> bool:
    """A str.format template with a huge or computed ({0:{1}}) field width."""
    try:
        specs = [spec or "" for _, _, spec, _ in Formatter().parse(template)]
    except ValueError:
        return False  # format() itself will refuse it
    return any("{" in spec or _DIGITS.search(spec) for spec in specs)


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what} would be larger than {MAX_SIZE:,} characters")


def _repeat(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple, bytes)) and isinstance(count, int):
            if len(sequence) * max(count, 0) > MAX_SIZE:
                raise _too_big("a repeated value")
    made = operator.mul(left, right)
    _charge(_cost(made))
    return made


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        if max(abs(left), 2).bit_length() * right > MAX_POWER_BITS:
            raise SecurityError(f"{left} ** {right} is too large a number")
    return operator.pow(left, right)


class _Budget:
    def __init__(self, units: int) -> None:
        self.left = units

    def charge(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise SecurityError(f"the template does too much work (more than {WORK_BUDGET:,} steps)")


_budget: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def _charge(units: int) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.charge(units)


def _cost(value: Any) -> int:
    """What handing this value to a filter or method is charged."""
    if isinstance(value, str):
        return 1 + len(value) // _STRING_CHARS_PER_UNIT
    if isinstance(value, (Sized, range)):
        try:
            return 1 + len(value)
        except Exception:  # a Sized whose len() fails costs its call
            return 1
    return 1


def _counted(items: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, each charged."""
    for item in items:
        _charge(1)
        yield item


def _charged_range(*args: Any) -> range:
    made = safe_range(*args)
    _charge(1 + len(made))
    return made


def _charged_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def charged(*args: Any, **kwargs: Any) -> Any:
        # A filter's value is its first argument, or its second after Jinja's
        # context/eval context.
        _charge(sum(_cost(arg) for arg in args[:2]))
        return function(*args, **kwargs)

    return charged


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **settings: Any):
        super().__init__(**settings)
        self.filters["center"] = _bounded_center
        self.filters["indent"] = _bounded_indent
        self.filters["format"] = _bounded_format
        self.filters["replace"] = _bounded_replace
        self.filters["join"] = _bounded_join
        self.filters["slice"] = _bounded_count(self.filters["slice"], "slice")
        self.filters["batch"] = _bounded_count(self.filters["batch"], "batch")
        self.filters = {name: _charged_filter(f) for name, f in self.filters.items()}
        self.tests = {name: _charged_filter(t) for name, t in self.tests.items()}  # type: ignore[arg-type]
        del self.globals["lipsum"]  # paragraphs of made-up text, as many as asked
        self.globals["range"] = _charged_range
        # Every {% for %} goes through _counted (see _parse).
        self.counted_items = _counted

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("counted_items"), [loop.iter], [], None, None)
        return tree

    def call_binop(self, context: Context, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            return _repeat(left, right)
        if operator_ == "**":
            return _power(left, right)
        if operator_ == "%" and isinstance(left, str) and _PERCENT_WIDTH.search(left):
            raise _too_big("a formatted field")
        return super().call_binop(context, operator_, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if __obj is not _counted:
            # A method that does not walk its list or dict (append, get...)
            # costs a step, not the container's length: `l.append(x)` in a
            # loop over a digest is Jinja's way of sorting into lists.
            walks = not (isinstance(owner, (list, dict, set)) and name in _CONSTANT_METHODS)
            _charge((_cost(owner) if walks else 1) + sum(map(_cost, args)))
        if isinstance(owner, str) and name in _PADDING_METHODS:
            if any(isinstance(a, int) and a > MAX_SIZE for a in args):
                raise _too_big(f"str.{name}()")
        if isinstance(owner, str) and name == "join" and args:
            args = (_join_items(owner, args[0], "str.join()"), *args[1:])
        if isinstance(owner, str) and name == "replace" and len(args) >= 2:
            old, new = str(args[0]), str(args[1])
            times = owner.count(old) if old else len(owner) + 1
            if len(owner) + times * len(new) > MAX_SIZE:
                raise _too_big("str.replace()")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        # "{:>9999999999}".format(1): the width is in the format string.
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and _wide_format(owner):
            raise _too_big("a formatted field")
        return super().wrap_str_format(value)


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """The template's output, refused once it passes MAX_SIZE or its work
    passes WORK_BUDGET (loops in loops, with or without output)."""
    pieces, size = [], 0
    token = _budget.set(_Budget(WORK_BUDGET))
    try:
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_SIZE:
                raise _too_big("the message")
            pieces.append(piece)
    finally:
        _budget.reset(token)
    return "".join(pieces)


@pass_eval_context
def _bounded_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    return do_join(eval_ctx, _join_items(str(d), value, "join"), d, attribute)


def _join_items(separator: str, value: Any, what: str) -> list[Any]:
    """What a join will join, each item charged; refused when the separators
    alone would pass MAX_SIZE."""
    items = list(_counted(value))
    if len(separator) * len(items) > MAX_SIZE:
        raise _too_big(what)
    return items


def _bounded_count(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """slice(n) makes n lists, batch(n, fill) fills up to n: n is bounded."""

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        # Jinja hands these their eval context first: any count is checked.
        if any(isinstance(a, int) and a > 100_000 for a in (*args, *kwargs.values())):
            raise _too_big(name)
        return function(*args, **kwargs)

    return bounded


def _bounded_format(value: Any, *args: Any, **kwargs: Any) -> str:
    if isinstance(value, str) and _PERCENT_WIDTH.search(value):
        raise _too_big("a formatted field")
    return do_format(value, *args, **kwargs)


@pass_eval_context
def _bounded_replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: int | None = None) -> Any:
    text, old_text, new_text = str(value), str(old), str(new)
    times = text.count(old_text) if old_text else len(text) + 1
    if len(text) + times * len(new_text) > MAX_SIZE:
        raise _too_big("replace")
    return do_replace(eval_ctx, value, old, new, count)


def _bounded_center(value: Any, width: int = 80) -> str:
    if width > MAX_SIZE:
        raise _too_big("center")
    return do_center(value, width)


def _bounded_indent(value: Any, width: int | str = 4, *args: Any, **kwargs: Any) -> Any:
    if isinstance(width, int) and width > MAX_SIZE or isinstance(width, Sized) and len(width) > MAX_SIZE:
        raise _too_big("indent")
    return do_indent(value, width, *args, **kwargs)
