"""The parser: what it accepts, everything it refuses, and that nothing else ever escapes it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.calls import (
    MAX_CALLS,
    MAX_CODE_CHARS,
    MAX_KEY_CHARS,
    MAX_TIMEOUT,
    METHODS,
    Call,
    CallError,
    parse_calls,
)


def only(code: str) -> Call:
    [call] = parse_calls(code)
    return call


def test_a_set_with_a_timeout_binds_to_django_parameter_names() -> None:
    call = only("cache.set('greeting', 'hello', timeout=300)")
    assert call.method == "set"
    assert call.arguments == {"key": "greeting", "value": "hello", "timeout": 300}


def test_an_assignment_keeps_the_name_to_show_it() -> None:
    call = only("value = cache.get('greeting')")
    assert (call.target, call.method, call.arguments) == ("value", "get", {"key": "greeting"})


def test_the_lessons_import_comments_and_blank_lines_are_ignored() -> None:
    code = (
        "from django.core.cache import cache\n\n"
        "# set it\ncache.set('k', 1)  # one\n\ncache.get('k')\n"
    )
    calls = parse_calls(code)
    assert [(call.line, call.method) for call in calls] == [(4, "set"), (6, "get")]
    assert calls[0].source == "cache.set('k', 1)"


@pytest.mark.parametrize(
    ("code", "arguments"),
    [
        ("cache.add('k', [1, 2.5, None, True])", {"key": "k", "value": [1, 2.5, None, True]}),
        (
            "cache.get_or_set('k', {'a': (1, -2)}, 60)",
            {"key": "k", "default": {"a": (1, -2)}, "timeout": 60},
        ),
        ("cache.incr('n', delta=-3)", {"key": "n", "delta": -3}),
        ("cache.decr('n', 2, version=2)", {"key": "n", "delta": 2, "version": 2}),
        ("cache.delete('k')", {"key": "k"}),
        ("cache.touch('k', timeout=None)", {"key": "k", "timeout": None}),
        ("cache.has_key('k')", {"key": "k"}),
        ("cache.get('k', default='fallback')", {"key": "k", "default": "fallback"}),
        ("cache.get_many(['a', 'b'])", {"keys": ["a", "b"]}),
        (
            "cache.set_many({'a': 1, 'b': -0.5}, timeout=10)",
            {"data": {"a": 1, "b": -0.5}, "timeout": 10},
        ),
        ("cache.delete_many(('a', 'b'))", {"keys": ("a", "b")}),
        ("cache.clear()", {}),
    ],
)
def test_every_method_is_accepted_with_literal_arguments(code: str, arguments: dict) -> None:
    assert only(code).arguments == arguments


def test_every_whitelisted_method_has_a_test_above() -> None:
    assert set(METHODS) == {
        "set", "get", "add", "get_or_set", "incr", "decr", "delete", "touch",
        "has_key", "get_many", "set_many", "delete_many", "clear",
    }  # fmt: skip


def test_two_calls_on_one_line_separated_by_a_semicolon_are_two_calls() -> None:
    calls = parse_calls("cache.set('a', 1); cache.get('a')")
    assert [call.source for call in calls] == ["cache.set('a', 1)", "cache.get('a')"]


def test_a_call_written_over_several_lines_is_shown_whole() -> None:
    assert only("cache.set(\n    'a',\n    1,\n)").source == "cache.set(\n    'a',\n    1,\n)"


@pytest.mark.parametrize(
    ("code", "line", "column", "says"),
    [
        ("import os", 1, 1, "is not a cache call"),
        ("from django.core.cache import caches", 1, 1, "is not a cache call"),
        ("cache.get('a')\neval('1')", 2, 1, "is not a method of `cache`"),
        ("__import__('os').system('ls')", 1, 1, "is not a method of `cache`"),
        ("cache._cache.clear()", 1, 1, "is not a method of `cache`"),
        ("cache.__class__", 1, 1, "is not a cache call"),
        ("cache.delete_pattern('*')", 1, 1, "cache.delete_pattern() is not available"),
        ("cache.set('k', open('/etc/passwd'))", 1, 16, "is not a literal"),
        ("cache.set('k', x)", 1, 16, "is not a literal"),
        ("cache.set('k', 'a' * 10)", 1, 16, "is not a literal"),
        ("cache.set('k', f'{1}')", 1, 16, "is not a literal"),
        ("cache.set('k', lambda: 1)", 1, 16, "is not a literal"),
        ("cache.set('k', {1, 2})", 1, 16, "is not a literal"),
        ("cache.set('k', b'raw')", 1, 16, "bytes literals are not allowed"),
        ("cache.set('k', 1j)", 1, 16, "complex literals are not allowed"),
        ("cache.set('k', ...)", 1, 16, "ellipsis literals are not allowed"),
        ("cache.set(*['k', 1])", 1, 1, "Unpacking with *"),
        ("cache.set('k', **{'value': 1})", 1, 1, "Unpacking with **"),
        ("cache.set('k', [*'ab'])", 1, 16, "Unpacking with *"),
        ("cache.set('k', {**{}})", 1, 16, "Unpacking with **"),
        ("cache.set('k', {[1]: 2})", 1, 17, "Dictionary keys"),
        ("cache.set('k')", 1, 1, "missing a required argument: 'value'"),
        ("cache.get('k', None, 1, 2)", 1, 1, "too many positional arguments"),
        ("cache.get('k', colour='red')", 1, 1, "unexpected keyword argument 'colour'"),
        ("cache.get(key=1)", 1, 1, "key must be a str"),
        ("cache.get('')", 1, 1, "key must not be empty"),
        ("cache.set('k', 1, timeout='soon')", 1, 1, "timeout must be a number"),
        ("cache.set('k', 1, timeout=True)", 1, 1, "timeout must be a number"),
        ("cache.set('k', 1, timeout=-1e999)", 1, 1, "finite"),
        ("cache.incr('k', delta=1.5)", 1, 1, "delta must be a whole number"),
        ("cache.get('k', version='2')", 1, 1, "version must be a whole number"),
        ("cache.get_many('ab')", 1, 1, "keys must be a list or tuple"),
        ("cache.set_many(['a'])", 1, 1, "data must be a dict"),
        ("x.y = cache.get('k')", 1, 1, "Assign to a plain name only"),
        ("a = b = cache.get('k')", 1, 1, "is not a cache call"),
        ("x = 1", 1, 5, "`1` is not a cache call"),
        ("for k in 'ab': cache.get(k)", 1, 1, "is not a cache call"),
        ("cache.get('k'", 1, 10, "not valid Python"),
        ("", 1, 1, "no cache call"),
        ("# only a comment", 1, 1, "no cache call"),
    ],
)
def test_a_rejected_construct_names_its_line_and_column_and_what_is_allowed(
    code: str, line: int, column: int, says: str
) -> None:
    with pytest.raises(CallError) as caught:
        parse_calls(code)
    assert says in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"Line {line}, column {column}: ")


def test_the_general_message_lists_what_is_allowed() -> None:
    with pytest.raises(CallError, match=r"Allowed: one call per line .* literal arguments only"):
        parse_calls("import os")


def test_call_error_is_a_value_error() -> None:
    assert issubclass(CallError, ValueError)


def test_a_null_byte_is_a_parser_error_not_a_crash() -> None:
    with pytest.raises(CallError, match="null bytes"):
        parse_calls("cache.get('a')\x00")


def test_an_integer_beyond_pythons_digit_limit_is_a_parser_error() -> None:
    with pytest.raises(CallError):
        parse_calls(f"cache.set('k', {'9' * 5000})")


def test_deep_nesting_is_a_parser_error() -> None:
    with pytest.raises(CallError):
        parse_calls("cache.set('k', " + "[" * 500 + "]" * 500 + ")")


def test_code_over_the_size_cap_is_refused_before_parsing() -> None:
    with pytest.raises(CallError, match=f"{MAX_CODE_CHARS:,}"):
        parse_calls("#" * (MAX_CODE_CHARS + 1))


def test_more_calls_than_the_cap_are_refused() -> None:
    with pytest.raises(CallError, match=f"at most {MAX_CALLS}"):
        parse_calls("cache.get('k')\n" * (MAX_CALLS + 1))


def test_a_key_over_the_length_cap_is_refused_but_one_at_the_cap_is_not() -> None:
    assert only(f"cache.get('{'k' * MAX_KEY_CHARS}')").arguments["key"] == "k" * MAX_KEY_CHARS
    with pytest.raises(CallError, match=f"capped at {MAX_KEY_CHARS}"):
        parse_calls(f"cache.get('{'k' * (MAX_KEY_CHARS + 1)}')")


def test_a_value_over_about_ten_kilobytes_pickled_is_refused() -> None:
    assert only(f"cache.set('k', '{'v' * 9000}')").method == "set"
    with pytest.raises(CallError, match="values are capped at 10,240 bytes"):
        parse_calls(f"cache.set('k', '{'v' * 11000}')")


def test_a_too_large_value_inside_set_many_is_refused() -> None:
    with pytest.raises(CallError, match="capped at 10,240 bytes"):
        parse_calls(f"cache.set_many({{'a': 1, 'b': '{'v' * 11000}'}})")


def test_a_timeout_over_one_hour_is_refused() -> None:
    assert only(f"cache.set('k', 1, {MAX_TIMEOUT})").arguments["timeout"] == MAX_TIMEOUT
    with pytest.raises(CallError, match="caps timeouts at 3600 s"):
        parse_calls(f"cache.set('k', 1, timeout={MAX_TIMEOUT + 1})")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises_anything_but_the_parsers_error(code: str) -> None:
    try:
        calls = parse_calls(code)
    except CallError:
        return
    assert all(call.method in METHODS for call in calls)


PYTHONISH = st.lists(
    st.sampled_from(
        [
            "cache",
            ".",
            "set",
            "get",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "'k'",
            "1",
            "-",
            ",",
            ":",
            "=",
            "*",
            "**",
            "\n",
            " ",
            "timeout",
            "None",
            "x",
            "import",
            "lambda",
            "#",
            "1e999",
            "b''",
            "f'{x}'",
            "__class__",
            "clear",
            "delete_many",
            "(1,)",
            ";",
            "0x1F",
            "\\",
            "\x00",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(PYTHONISH)
def test_python_like_token_soup_never_raises_anything_but_the_parsers_error(code: str) -> None:
    try:
        parse_calls(code)
    except CallError as error:
        assert error.line >= 1 and error.column >= 1


LITERALS = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(key=st.text(min_size=1, max_size=50), value=LITERALS)
def test_any_literal_value_round_trips_through_the_parser(key: str, value) -> None:
    call = only(f"cache.set({key!r}, {value!r})")
    assert call.arguments["key"] == key
    assert repr(call.arguments["value"]) == repr(value)
