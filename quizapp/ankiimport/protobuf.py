"""Just enough of the protobuf wire format to read Anki's schema-18 blobs and media map.

Anki keeps note type, template and deck settings (and the media list of a current package)
as protobuf messages. Only a handful of their fields matter to the import, so rather than
depend on Anki's generated classes (the `anki` package is a test dependency only) this reads
a message into {field number: [values]}: varints as ints, length-delimited fields as bytes.
"""

from __future__ import annotations

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def message(data: bytes) -> dict[int, list[int | bytes]]:
    """Every field of one message, by number, in order of appearance."""
    fields: dict[int, list[int | bytes]] = {}
    pos = 0
    size = len(data)
    while pos < size:
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == _VARINT:
            value, pos = _varint(data, pos)
        elif wire == _LEN:
            length, pos = _varint(data, pos)
            if pos + length > size:
                raise ProtobufError("truncated field")
            value, pos = data[pos : pos + length], pos + length
        elif wire == _I64:
            value, pos = int.from_bytes(data[pos : pos + 8], "little"), pos + 8
        elif wire == _I32:
            value, pos = int.from_bytes(data[pos : pos + 4], "little"), pos + 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        if pos > size:
            raise ProtobufError("truncated field")
        fields.setdefault(number, []).append(value)
    return fields


def first_int(fields: dict[int, list[int | bytes]], number: int, default: int = 0) -> int:
    for value in fields.get(number, ()):
        if isinstance(value, int):
            return value
    return default


def first_bytes(fields: dict[int, list[int | bytes]], number: int) -> bytes:
    for value in fields.get(number, ()):
        if isinstance(value, bytes):
            return value
    return b""


def first_text(fields: dict[int, list[int | bytes]], number: int) -> str:
    return first_bytes(fields, number).decode("utf-8", "replace")
