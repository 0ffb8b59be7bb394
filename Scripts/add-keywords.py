#!/usr/bin/env python3
"""Adds words to Sources/ShiftSyntax/Keyword.swift, keeping the list sorted.

Usage: Scripts/add-keywords.py word [word ...]
"""
import pathlib
import re
import sys

path = pathlib.Path(__file__).resolve().parent.parent / "Sources/ShiftSyntax/Keyword.swift"
text = path.read_text()
existing = [w for w in re.findall(r"case `?(\w+)`?", text) if w != "none"]
words = sorted(set(existing + [w.lower() for w in sys.argv[1:]]))
swift_reserved = {
    "as", "case", "default", "do", "else", "for", "if", "in", "is", "where", "true", "false",
    "nil", "repeat", "return", "import", "init", "self", "super", "throw", "throws", "try",
    "while", "switch", "break", "continue", "class", "struct", "enum", "func", "let", "var",
    "public", "private", "internal", "static", "operator", "protocol", "extension", "deinit",
    "subscript", "typealias", "associatedtype", "fallthrough", "guard", "defer", "catch",
    "rethrows", "inout", "some", "any", "Type",
}
cases = "\n".join(f"  case `{w}`" if w in swift_reserved else f"  case {w}" for w in words)
head = text[: text.index("  case none")]
path.write_text(head + '  case none = ""\n' + cases + "\n}\n")
