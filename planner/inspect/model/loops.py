"""Calls in a loop over a literal list, read once per item of the list.

``for r in (users.router, items.router): app.include_router(r)`` includes two
routers, and so does a loop over dicts of keyword arguments
(``app.include_router(**d)`` for each ``{"router": ..., "prefix": ...}``).
"""

from __future__ import annotations

import ast

# What one pass of a loop binds: each loop variable to the expression it takes.
Binding = dict[str, ast.expr]


class Literals:
    """Names bound to literal lists or tuples, by scope, in statement order."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], list[ast.expr]] = {}

    def bind(self, scope: str, name: str, value: ast.expr) -> None:
        """Remember (or forget) what a name's new value lists."""
        items = self.items_of(scope, value)
        if items is None:
            self._items.pop((scope, name), None)
        else:
            self._items[(scope, name)] = items

    def items_of(self, scope: str, node: ast.expr) -> list[ast.expr] | None:
        """The items a literal list, tuple, sum of them or name of one holds."""
        if isinstance(node, ast.List | ast.Tuple):
            out: list[ast.expr] = []
            for elt in node.elts:
                inner = (
                    self.items_of(scope, elt.value)
                    if isinstance(elt, ast.Starred)
                    else [elt]
                )
                if inner is None:
                    return None
                out.extend(inner)
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.items_of(scope, node.left)
            right = self.items_of(scope, node.right)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Name):
            while True:
                found = self._items.get((scope, node.id))
                if found is not None or not scope:
                    return found
                scope = scope.rpartition(".")[0]
        return None

    def passes(self, scope: str, loop: ast.For | ast.AsyncFor) -> list[Binding] | None:
        """What each pass of a loop binds, or None where the items are unknown."""
        items = self.items_of(scope, loop.iter)
        if items is None:
            return None
        out: list[Binding] = []
        for item in items:
            binding = _unpack(loop.target, item)
            if binding is None:
                return None
            out.append(binding)
        return out


def _unpack(target: ast.expr, item: ast.expr) -> Binding | None:
    if isinstance(target, ast.Name):
        return {target.id: item}
    if (
        isinstance(target, ast.Tuple)
        and isinstance(item, ast.Tuple | ast.List)
        and len(target.elts) == len(item.elts)
    ):
        out: Binding = {}
        for t, v in zip(target.elts, item.elts, strict=True):
            inner = _unpack(t, v)
            if inner is None:
                return None
            out.update(inner)
        return out
    return None


def per_pass(call: ast.Call, passes: list[Binding] | None) -> list[ast.Call]:
    """The call as each pass of the enclosing loop makes it.

    The call itself where it uses no loop variable, or outside a loop.
    """
    if not passes:
        return [call]
    out = [_substituted(call, b) for b in passes]
    made = [c for c in out if c is not None]
    return made if len(made) == len(out) else [call]


def _substituted(call: ast.Call, binding: Binding) -> ast.Call | None:
    changed = False
    args: list[ast.expr] = []
    for a in call.args:
        value = _bound(a, binding)
        changed |= value is not a
        args.append(value)
    keywords: list[ast.keyword] = []
    for k in call.keywords:
        value = _bound(k.value, binding)
        changed |= value is not k.value
        if k.arg is not None:
            keywords.append(ast.keyword(k.arg, value))
        elif isinstance(value, ast.Dict) and value is not k.value:
            spread = _keywords(value)
            if spread is None:
                return None
            keywords.extend(spread)
        else:
            keywords.append(k)
    if not changed:
        return None
    return ast.copy_location(ast.Call(call.func, args, keywords), call)


def _bound(node: ast.expr, binding: Binding) -> ast.expr:
    """A loop variable's item, or an entry of it (``d["router"]``); else the node.

    Inside a sum or an f-string too (``"/api" + prefix``).
    """
    if isinstance(node, ast.Name):
        return binding.get(node.id, node)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        item = binding.get(node.value.id)
        if item is not None and isinstance(node.slice, ast.Constant):
            return _entry(item, node.slice.value) or node
        return node
    if isinstance(node, ast.BinOp):
        left, right = _bound(node.left, binding), _bound(node.right, binding)
        if left is node.left and right is node.right:
            return node
        return ast.copy_location(ast.BinOp(left, node.op, right), node)
    if isinstance(node, ast.JoinedStr):
        parts = [
            ast.FormattedValue(_bound(v.value, binding), v.conversion, v.format_spec)
            if isinstance(v, ast.FormattedValue)
            else v
            for v in node.values
        ]
        if all(
            getattr(p, "value", None) is getattr(v, "value", None)
            for p, v in zip(parts, node.values, strict=True)
        ):
            return node
        return ast.copy_location(ast.JoinedStr(parts), node)
    return node


def _entry(item: ast.expr, key: object) -> ast.expr | None:
    """``item[key]`` of a literal dict, list or tuple, if written there."""
    if isinstance(item, ast.Dict):
        for k, value in zip(item.keys, item.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                return value
    if isinstance(item, ast.Tuple | ast.List) and isinstance(key, int):
        if -len(item.elts) <= key < len(item.elts):
            return item.elts[key]
    return None


def _keywords(d: ast.Dict) -> list[ast.keyword] | None:
    """``**{"router": r, "prefix": "/x"}`` as keyword arguments."""
    out: list[ast.keyword] = []
    for key, value in zip(d.keys, d.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        out.append(ast.keyword(key.value, value))
    return out
