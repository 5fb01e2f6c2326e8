"""Recognising literal constants and literal containers in libcst expressions."""

from __future__ import annotations

import ast

import libcst as cst

CONSTANT_NAMES = frozenset({"True", "False", "None"})
UNHASHABLE_LITERALS = (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)


def is_constant(node: cst.CSTNode) -> bool:
    """Whether `node` is a hashable literal: a string, bytes, number, True/False/None, or a signed number."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_constant(node.left) and is_constant(node.right)
    if isinstance(node, cst.Name):
        return node.value in CONSTANT_NAMES
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        return isinstance(node.expression, (cst.Integer, cst.Float, cst.Imaginary))
    return False


def string_value(node: cst.CSTNode) -> str | bytes | None:
    """The value of a (possibly implicitly concatenated) string literal, or None if it is not one."""
    if isinstance(node, cst.SimpleString):
        return ast.literal_eval(node.value)
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        if left is None or right is None or type(left) is not type(right):
            return None
        return left + right
    return None


def is_empty_str(node: cst.CSTNode) -> bool:
    """Whether `node` is the literal `""` (text, not bytes)."""
    return isinstance(node, cst.SimpleString) and string_value(node) == ""


def is_int_literal(node: cst.CSTNode, value: int | None = None) -> bool:
    """Whether `node` is an integer literal (optionally equal to `value`), e.g. `0` or `-1`."""
    sign = 1
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        sign, node = -1, node.expression
    if not isinstance(node, cst.Integer):
        return False
    return value is None or sign * int(node.value.replace("_", ""), 0) == value


def has_unhashable_items(node: cst.CSTNode) -> bool:
    """Whether a literal list/tuple (or a list comprehension) visibly holds lists, dicts or sets."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return any(isinstance(el.value, UNHASHABLE_LITERALS) for el in node.elements)
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return isinstance(node.elt, UNHASHABLE_LITERALS)
    return False


def list_to_set(node: cst.List) -> cst.Set:
    """The set display with the same elements and spacing as a list display."""
    return cst.Set(
        elements=node.elements,
        lbrace=cst.LeftCurlyBrace(whitespace_after=node.lbracket.whitespace_after),
        rbrace=cst.RightCurlyBrace(whitespace_before=node.rbracket.whitespace_before),
        lpar=node.lpar,
        rpar=node.rpar,
    )
