"""Readable lines from the bytes a client sent: Redis's RESP arrays and Memcached's text
protocol, each argument as typed where it is text and as `<pickle, N bytes>` where it is not.

Keys are shown as stored (KEY_PREFIX:version:namespace:key): that is what crossed the wire.
"""

import json
import re

PICKLE_START = b"\x80"  # PROTO, the first opcode of every pickle since protocol 2
MAX_SHOWN_CHARS = 60

# pymemcache's serde (Django's PyMemcacheCache uses pickle_serde): the flags word that
# travels with each stored value says how to read it back.
MEMCACHED_FLAGS = {
    0: "bytes, sent as they are",
    1: "a pickle",
    2: "an int, sent as its digits",
    16: "a str, sent as UTF-8",
}
STORAGE_COMMANDS = {b"set", b"add", b"replace", b"append", b"prepend", b"cas"}
SCRIPT_COMMANDS = {b"EVAL", b"EVAL_RO"}
NEEDS_QUOTES = re.compile(r'[\s"]')


def shown(data: bytes) -> str:
    """One argument: text as typed (quoted when it has spaces), anything else described."""
    if data.startswith(PICKLE_START):
        return f"<pickle, {size(data)}>"
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return f"<{size(data)}>"
    if not text.isprintable():
        return f"<{size(data)}>"
    if len(text) > MAX_SHOWN_CHARS:
        return f"{json.dumps(text[:MAX_SHOWN_CHARS], ensure_ascii=False)}… <{size(data)}>"
    if not text or NEEDS_QUOTES.search(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def size(data: bytes) -> str:
    return "1 byte" if len(data) == 1 else f"{len(data)} bytes"


# -- Redis ----------------------------------------------------------------------------------
def redis_commands(data: bytes) -> list[list[bytes]]:
    """The RESP arrays of bulk strings in `data`, as redis-py packs every command."""
    commands = []
    position = 0
    while position < len(data):
        count, position = _resp_number(data, position, b"*")
        arguments = []
        for _ in range(count):
            length, position = _resp_number(data, position, b"$")
            arguments.append(data[position : position + length])
            position += length + 2
        commands.append(arguments)
    return commands


def _resp_number(data: bytes, position: int, marker: bytes) -> tuple[int, int]:
    if data[position : position + 1] != marker:
        raise ValueError(f"not a RESP array at byte {position}")
    end = data.index(b"\r\n", position)
    return int(data[position + 1 : end]), end + 2


def redis_line(arguments: list[bytes]) -> str:
    name = arguments[0].upper()
    words = [arguments[0].decode(errors="replace")]
    for index, argument in enumerate(arguments[1:], start=1):
        if index == 1 and name in SCRIPT_COMMANDS:
            words.append(f"<script, {size(argument)}>")
        else:
            words.append(shown(argument))
    return " ".join(words)


def redis_lines(data: bytes) -> list[str]:
    try:
        return [redis_line(arguments) for arguments in redis_commands(data)]
    except ValueError:
        return [f"<{size(data)} the sandbox cannot read as Redis commands>"]


# -- Memcached ------------------------------------------------------------------------------
def memcached_lines(data: bytes) -> list[str]:
    lines = []
    position = 0
    while position < len(data):
        end = data.find(b"\r\n", position)
        if end < 0:
            end = len(data)
        words = data[position:end].split(b" ")
        position = end + 2
        line = " ".join(word.decode(errors="replace") for word in words)
        if words[0] in STORAGE_COMMANDS and len(words) >= 5 and words[4].isdigit():
            block = data[position : position + int(words[4])]
            position += len(block) + 2
            line = f"{line} {memcached_value(block, int(words[2]))}"
        lines.append(line)
    return lines


def memcached_value(block: bytes, flags: int) -> str:
    meaning = MEMCACHED_FLAGS.get(flags, "flags pymemcache's serde does not set")
    if flags == 1:
        value = f"<pickle, {size(block)}>"
    elif block.startswith(PICKLE_START):  # raw bytes that merely look like a pickle
        value = f"<{size(block)}>"
    else:
        value = shown(block)
    return f"· data {value} · flags {flags}: {meaning}"


LINES = {"redis": redis_lines, "memcached": memcached_lines}
