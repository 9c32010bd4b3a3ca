"""Turn the cache calls a learner types into checked, inert Call objects.

Only Python's `ast` reads the code: nothing is ever evaluated. A line is accepted when it is
`cache.METHOD(literal arguments)`, optionally assigned to a name, where the arguments bind
to the real signature of Django's BaseCache.METHOD and every literal passes the sandbox's
caps. Anything else raises CallError naming the line, the column and what is allowed.
"""

import ast
import functools
import inspect
import math
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.core.cache.backends.base import BaseCache

METHODS = (
    "set",
    "get",
    "add",
    "get_or_set",
    "incr",
    "decr",
    "delete",
    "touch",
    "has_key",
    "get_many",
    "set_many",
    "delete_many",
    "clear",
)
# Methods whose success can leave a new key behind (the per-learner key cap counts these).
CREATING_METHODS = frozenset({"set", "add", "get_or_set", "set_many"})

MAX_CODE_CHARS = 20_000
MAX_CALLS = 20
MAX_KEY_CHARS = 250  # the memcached limit, so its InvalidCacheKey can still be shown
MAX_VALUE_BYTES = 10 * 1024  # pickled
MAX_TIMEOUT = 3600
MAX_KEYS_PER_CALL = 50

ALLOWED = (
    "Allowed: one call per line such as cache.set('greeting', 'hello', timeout=300) or "
    f"value = cache.get('greeting'), with cache methods {', '.join(METHODS)} and literal "
    "arguments only (str, int, float, bool, None, list, tuple, dict)."
)
LITERAL_HELP = "Arguments must be literals: str, int, float, bool, None, list, tuple or dict."
SIGNATURES = {name: inspect.signature(getattr(BaseCache, name)) for name in METHODS}


class CallError(ValueError):
    """Bad sandbox input: where it is and what is allowed."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(f"Line {line}, column {column}: {message}")


@dataclass(frozen=True)
class Call:
    line: int
    source: str
    method: str
    # Bound by parameter name (key, value, timeout, ...); read-only, as parses are cached.
    arguments: Mapping[str, Any]
    target: str | None = None  # the name in `name = cache.get(...)`, shown only

    def named_keys(self) -> list[str]:
        """Every key this call names, in the order typed."""
        args = self.arguments
        if "key" in args:
            return [args["key"]]
        if "keys" in args:
            return list(args["keys"])
        if "data" in args:
            return list(args["data"])
        return []


def _error(node: ast.AST, message: str) -> CallError:
    return CallError(message, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)


def literal(node: ast.expr) -> Any:
    """The value of a literal node; CallError for anything that is not one."""
    if isinstance(node, ast.Constant):
        if node.value is None or isinstance(node.value, str | int | float | bool):
            return node.value
        raise _error(node, f"{type(node.value).__name__} literals are not allowed. {LITERAL_HELP}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = node.operand
        if isinstance(operand, ast.Constant) and type(operand.value) in (int, float):
            return -operand.value if isinstance(node.op, ast.USub) else operand.value
    if isinstance(node, ast.List | ast.Tuple):
        if any(isinstance(item, ast.Starred) for item in node.elts):
            raise _error(node, f"Unpacking with * is not allowed. {LITERAL_HELP}")
        items = [literal(item) for item in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise _error(node, f"Unpacking with ** is not allowed. {LITERAL_HELP}")
        result = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            key = literal(key_node)
            try:
                result[key] = literal(value_node)
            except TypeError:  # an unhashable key such as a list
                raise _error(
                    key_node, "Dictionary keys must be str, int, float, bool or None."
                ) from None
        return result
    raise _error(node, f"`{_snippet(node)}` is not a literal. {LITERAL_HELP}")


def _snippet(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


@functools.lru_cache(maxsize=256)  # lessons link the same snippets again and again
def _parse(code: str) -> tuple[Call, ...]:
    return tuple(_parse_uncached(code))


def parse_calls(code: str) -> list[Call]:
    """Every call in `code`, in order. Raises CallError on the first problem."""
    return list(_parse(code))


def _parse_uncached(code: str) -> list[Call]:
    if len(code) > MAX_CODE_CHARS:
        raise CallError(
            f"The code is {len(code):,} characters; the sandbox takes {MAX_CODE_CHARS:,}."
        )
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as error:
        raise CallError(
            f"This is not valid Python ({error.msg}). {ALLOWED}",
            error.lineno or 1,
            error.offset or 1,
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        # null bytes, integer literals beyond Python's digit limit, absurd nesting
        raise CallError(f"The code cannot be read ({type(error).__name__}). {ALLOWED}") from None
    calls = [_statement(node, code) for node in tree.body if not _is_cache_import(node)]
    if not calls:
        raise CallError(f"There is no cache call to run. {ALLOWED}")
    if len(calls) > MAX_CALLS:
        raise CallError(f"{len(calls)} calls; the sandbox runs at most {MAX_CALLS} at once.")
    return calls


def _is_cache_import(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.ImportFrom)
        and node.module == "django.core.cache"
        and [(alias.name, alias.asname) for alias in node.names] == [("cache", None)]
    )


def _statement(node: ast.stmt, code: str) -> Call:
    target = None
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        if not isinstance(node.targets[0], ast.Name):
            raise _error(node.targets[0], f"Assign to a plain name only. {ALLOWED}")
        target, value = node.targets[0].id, node.value
    elif isinstance(node, ast.Expr):
        value = node.value
    else:
        raise _error(node, f"`{_snippet(node)}` is not a cache call. {ALLOWED}")
    if not isinstance(value, ast.Call):
        raise _error(value, f"`{_snippet(value)}` is not a cache call. {ALLOWED}")
    method = _method(value.func)
    source = ast.get_source_segment(code, node) or ast.unparse(node)
    arguments = _bind(value, method)
    _check_arguments(value, method, arguments)
    return Call(node.lineno, source, method, MappingProxyType(arguments), target)


def _method(func: ast.expr) -> str:
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "cache"
    ):
        raise _error(func, f"`{_snippet(func)}` is not a method of `cache`. {ALLOWED}")
    if func.attr not in METHODS:
        raise _error(func, f"cache.{func.attr}() is not available here. {ALLOWED}")
    return func.attr


def _bind(call: ast.Call, method: str) -> dict[str, Any]:
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        raise _error(call, f"Unpacking with * is not allowed. {LITERAL_HELP}")
    if any(keyword.arg is None for keyword in call.keywords):
        raise _error(call, f"Unpacking with ** is not allowed. {LITERAL_HELP}")
    args = [literal(arg) for arg in call.args]
    kwargs = {keyword.arg: literal(keyword.value) for keyword in call.keywords}
    signature = SIGNATURES[method]
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError as error:
        parameters = ", ".join(list(signature.parameters)[1:])
        raise _error(call, f"cache.{method}({parameters}): {error}.") from None
    arguments = dict(bound.arguments)
    arguments.pop("self")
    return arguments


def _check_arguments(call: ast.Call, method: str, arguments: dict[str, Any]) -> None:
    def fail(message: str) -> CallError:
        return _error(call, f"cache.{method}(): {message}")

    for name, value in arguments.items():
        check = ARGUMENT_CHECKS.get(name)
        problem = check(value) if check else None
        if problem:
            raise fail(f"{name} {problem}")


def _key_problem(key: Any) -> str | None:
    if not isinstance(key, str):
        return f"must be a str (got {type(key).__name__})."
    if not key:
        return "must not be empty."
    if len(key) > MAX_KEY_CHARS:
        return f"is {len(key)} characters; keys are capped at {MAX_KEY_CHARS}."
    return None


def _keys_problem(keys: Any) -> str | None:
    if not isinstance(keys, list | tuple):
        return "must be a list or tuple of keys."
    if len(keys) > MAX_KEYS_PER_CALL:
        return f"names {len(keys)} keys; at most {MAX_KEYS_PER_CALL} per call."
    return next(filter(None, map(_key_problem, keys)), None)


def _value_problem(value: Any) -> str | None:
    size = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    if size > MAX_VALUE_BYTES:
        return f"is {size:,} bytes pickled; values are capped at {MAX_VALUE_BYTES:,} bytes."
    return None


def _data_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "must be a dict of key: value."
    return _keys_problem(list(data)) or next(filter(None, map(_value_problem, data.values())), None)


def _timeout_problem(timeout: Any) -> str | None:
    if timeout is None:
        return None  # allowed, capped when run
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        return "must be a number of seconds or None."
    if not math.isfinite(timeout):
        return "must be a finite number of seconds."
    if timeout > MAX_TIMEOUT:
        return f"is {timeout:g} s; the sandbox caps timeouts at {MAX_TIMEOUT} s (one hour)."
    return None


def _whole_number_problem(number: Any) -> str | None:
    if isinstance(number, bool) or not isinstance(number, int):
        return "must be a whole number."
    if abs(number) > 2**63:
        return "is too large."
    return None


def _version_problem(version: Any) -> str | None:
    return None if version is None else _whole_number_problem(version)


ARGUMENT_CHECKS = {
    "key": _key_problem,
    "keys": _keys_problem,
    "value": _value_problem,
    "default": _value_problem,
    "data": _data_problem,
    "timeout": _timeout_problem,
    "delta": _whole_number_problem,
    "version": _version_problem,
}
