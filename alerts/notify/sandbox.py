"""The sandbox users' templates run in: Jinja's, with sizes bounded.

Jinja's sandbox stops unsafe attribute access and caps `range` (100,000
items), but `"x" * 10**10`, `10 ** 10 ** 10`, `"".ljust(10**10)` or
`"{:>9999999999}".format(1)` would still take the process's memory or time.
Those refuse here with a SecurityError, which the render turns into one
line naming the template.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sized
from string import Formatter
from typing import Any

from jinja2 import pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.filters import do_center, do_format, do_indent, do_replace
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

# Far beyond any message: the largest is an email of a few hundred KB.
MAX_SIZE = 1_000_000
# 2 ** 4096 is a 1,234-digit number: plenty for a template.
MAX_POWER_BITS = 4096
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
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
    return operator.mul(left, right)


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        if max(abs(left), 2).bit_length() * right > MAX_POWER_BITS:
            raise SecurityError(f"{left} ** {right} is too large a number")
    return operator.pow(left, right)


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **settings: Any):
        super().__init__(**settings)
        self.filters["center"] = _bounded_center
        self.filters["indent"] = _bounded_indent
        self.filters["format"] = _bounded_format
        self.filters["replace"] = _bounded_replace

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
        if isinstance(getattr(__obj, "__self__", None), str) and name in _PADDING_METHODS:
            if any(isinstance(a, int) and a > MAX_SIZE for a in args):
                raise _too_big(f"str.{name}()")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        # "{:>9999999999}".format(1): the width is in the format string.
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and _wide_format(owner):
            raise _too_big("a formatted field")
        return super().wrap_str_format(value)


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """The template's output, refused once it passes MAX_SIZE (loops in loops)."""
    pieces, size = [], 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_SIZE:
            raise _too_big("the message")
        pieces.append(piece)
    return "".join(pieces)


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
