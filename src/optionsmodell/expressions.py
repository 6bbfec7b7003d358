"""The expression language of rule packs: a small, safe subset of Python syntax.

Conditions such as ``seats.directly_elected > seats.council_members + seats.sachkundige_buerger``
are parsed with :mod:`ast` into our own node types; nothing is ever eval'd. Allowed: comparisons,
``and`` / ``or`` / ``not``, ``+ - * /``, numbers, strings, ``true``/``false``, ``date("YYYY-MM-DD")``,
``in`` / ``not in`` with a list of literals, and fact names.

Evaluation is three-valued (Kleene): a fact the configuration does not give is *unknown*, and
unknown propagates unless the other side of ``and``/``or`` already decides. That is how a rule
becomes *undetermined* rather than silently satisfied.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Literal

from .facts import FactType, FactValue
from .record import Record, init

Op = Literal["<", "<=", ">", ">=", "==", "!="]


class ExpressionError(Exception):
    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(message)


# The nodes are Records (record.py), not frozen dataclasses: the same equality, hash, repr and
# immutability, without compiling generated methods for each class at every start.


class Const(Record):
    __slots__ = ("type", "value")
    value: FactValue
    type: FactType

    def __init__(self, value: FactValue, type: FactType) -> None:
        init(self, "value", value)
        init(self, "type", type)


class Fact(Record):
    __slots__ = ("name",)
    name: str

    def __init__(self, name: str) -> None:
        init(self, "name", name)


class Arith(Record):
    __slots__ = ("left", "op", "right")
    op: Literal["+", "-", "*", "/"]
    left: Value
    right: Value

    def __init__(self, op: Literal["+", "-", "*", "/"], left: Value, right: Value) -> None:
        init(self, "op", op)
        init(self, "left", left)
        init(self, "right", right)


class Cmp(Record):
    __slots__ = ("left", "op", "right")
    op: Op
    left: Value
    right: Value

    def __init__(self, op: Op, left: Value, right: Value) -> None:
        init(self, "op", op)
        init(self, "left", left)
        init(self, "right", right)


class In(Record):
    __slots__ = ("item", "negated", "values")
    item: Fact
    values: tuple[Const, ...]
    negated: bool

    def __init__(self, item: Fact, values: tuple[Const, ...], negated: bool) -> None:
        init(self, "item", item)
        init(self, "values", values)
        init(self, "negated", negated)


class And(Record):
    __slots__ = ("items",)
    items: tuple[Cond, ...]

    def __init__(self, items: tuple[Cond, ...]) -> None:
        init(self, "items", items)


class Or(Record):
    __slots__ = ("items",)
    items: tuple[Cond, ...]

    def __init__(self, items: tuple[Cond, ...]) -> None:
        init(self, "items", items)


class Not(Record):
    __slots__ = ("item",)
    item: Cond

    def __init__(self, item: Cond) -> None:
        init(self, "item", item)


class Truth(Record):
    __slots__ = ("value",)
    value: bool

    def __init__(self, value: bool) -> None:
        init(self, "value", value)


Value = Const | Fact | Arith
Cond = Cmp | In | And | Or | Not | Truth

_CMP: dict[type[ast.cmpop], Op] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
}
_ARITH: dict[type[ast.operator], Literal["+", "-", "*", "/"]] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
}
NEGATE: dict[Op, Op] = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
FLIP: dict[Op, Op] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}

TypeOf = Callable[[str], FactType | None]


# Bounds on one condition. The law's conditions have a few comparisons; these bounds keep every
# step after parsing (type checks, evaluation, explanation, the Rete compiler's normal form) small
# and its recursion shallow, whatever a pack's author writes.
MAX_CHARS = 2000
MAX_NODES = 400  # syntax tree nodes
MAX_DEPTH = 32  # nesting of operations: a sum of 990 terms is 989 deep
MAX_DNF = 64  # conjunctions in the disjunctive normal form, either way round


def parse(text: str, type_of: TypeOf) -> Cond:
    """Parse and type-check a condition. ``type_of`` names the type of each known fact."""
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"expression longer than {MAX_CHARS} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        raise ExpressionError(f"syntax error: {e.msg}", e.offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression too deeply nested") from None
    _check_size(tree.body)
    cond = _cond(tree.body, type_of)
    width = max(dnf_width(cond, True), dnf_width(cond, False))
    if width > MAX_DNF:
        raise ExpressionError(
            f"condition too complex: its normal form has more than {MAX_DNF} alternatives "
            "(e.g. many `(a or b)` joined by `and`); split it into several rules or conclusions"
        )
    return cond


def _check_size(root: ast.AST) -> None:
    """Refuse a tree too large or too deep before any recursive step walks it."""
    stack = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"expression has more than {MAX_NODES} parts; split it into several rules or conclusions")
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"expression nested more than {MAX_DEPTH} deep (a long sum or chain of operations?); "
                "split it, e.g. with a conclusion", _col(node))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, ast.expr_context | ast.operator | ast.boolop | ast.cmpop | ast.unaryop))


def dnf_width(c: Cond, want: bool, cap: int = MAX_DNF) -> int:
    """How many conjunctions ``dnf(c, want)`` would have, counted without building them and
    saturating just above ``cap``."""
    if isinstance(c, Truth):
        return 1 if c.value == want else 0
    if isinstance(c, Cmp | In):
        return 1
    if isinstance(c, Not):
        return dnf_width(c.item, not want, cap)
    if isinstance(c, And) == want:
        n = 1
        for item in c.items:
            n = min(cap + 1, n * dnf_width(item, want, cap))
        return n
    return min(cap + 1, sum(dnf_width(item, want, cap) for item in c.items))


def _col(node: ast.AST) -> int | None:
    return getattr(node, "col_offset", None)


def _fact_name(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _cond(node: ast.AST, type_of: TypeOf) -> Cond:
    if isinstance(node, ast.BoolOp):
        items = tuple(_cond(v, type_of) for v in node.values)
        return And(items) if isinstance(node.op, ast.And) else Or(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return Not(_cond(node.operand, type_of))
    if isinstance(node, ast.Compare):
        parts: list[Cond] = []
        left = node.left
        for op_node, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op_node, ast.In | ast.NotIn):
                parts.append(_in(left, right, isinstance(op_node, ast.NotIn), type_of))
            elif type(op_node) in _CMP:
                lv, rv = _value(left, type_of), _value(right, type_of)
                lt, rt = _type(lv, type_of), _type(rv, type_of)
                op = _CMP[type(op_node)]
                if lt != rt:
                    raise ExpressionError(f"cannot compare {lt} with {rt}", _col(op_node) or _col(node))
                if lt in ("str", "bool") and op not in ("==", "!="):
                    raise ExpressionError(f"only == and != compare {lt} values", _col(node))
                parts.append(Cmp(op, lv, rv))
            else:
                raise ExpressionError(f"operator {type(op_node).__name__} is not allowed", _col(node))
            left = right
        return parts[0] if len(parts) == 1 else And(tuple(parts))
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return Truth(node.value)
    name = _fact_name(node)
    if name in ("true", "false"):
        return Truth(name == "true")
    if name is not None:
        t = type_of(name)
        if t is None:
            raise ExpressionError(f"unknown fact '{name}'", _col(node))
        if t != "bool":
            raise ExpressionError(f"fact '{name}' is {t}, not a condition; compare it", _col(node))
        return Cmp("==", Fact(name), Const(True, "bool"))
    raise ExpressionError(f"not a condition: {ast.unparse(node)}", _col(node))


def _in(left: ast.AST, right: ast.AST, negated: bool, type_of: TypeOf) -> In:
    name = _fact_name(left)
    if name is None:
        raise ExpressionError("`in` needs a fact name on its left", _col(left))
    t = type_of(name)
    if t is None:
        raise ExpressionError(f"unknown fact '{name}'", _col(left))
    if not isinstance(right, ast.List | ast.Tuple):
        raise ExpressionError("`in` needs a list of values on its right, e.g. ['a', 'b']", _col(right))
    values = tuple(_literal(v) for v in right.elts)
    for v in values:
        if v.type != t:
            raise ExpressionError(f"list value {v.value!r} is {v.type}, fact '{name}' is {t}", _col(right))
    if not values:
        raise ExpressionError("`in` needs at least one value", _col(right))
    return In(Fact(name), values, negated)


def _literal(node: ast.AST) -> Const:
    v = _value(node, lambda _n: None)
    if not isinstance(v, Const):
        raise ExpressionError("only literal values may stand in a list", _col(node))
    return v


def _value(node: ast.AST, type_of: TypeOf) -> Value:
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            return Const(v, "bool")
        if isinstance(v, int):
            return Const(v, "int")
        if isinstance(v, str):
            return Const(v, "str")
        raise ExpressionError(f"literal {v!r} is not allowed (whole numbers, text, true/false, date(...))", _col(node))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        inner = _value(node.operand, type_of)
        if isinstance(inner, Const) and inner.type == "int" and isinstance(inner.value, int):
            return Const(-inner.value, "int")
    if isinstance(node, ast.Call):
        if (
            isinstance(node.func, ast.Name)
            and node.func.id == "date"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            try:
                return Const(dt.date.fromisoformat(node.args[0].value).toordinal(), "date")
            except ValueError:
                raise ExpressionError(f"not an ISO date: {node.args[0].value!r}", _col(node)) from None
        raise ExpressionError("the only call allowed is date(\"YYYY-MM-DD\")", _col(node))
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        result = Arith(_ARITH[type(node.op)], _value(node.left, type_of), _value(node.right, type_of))
        _type(result, type_of)
        return result
    name = _fact_name(node)
    if name in ("true", "false"):
        return Const(name == "true", "bool")
    if name is not None:
        if type_of(name) is None:
            raise ExpressionError(f"unknown fact '{name}'", _col(node))
        return Fact(name)
    raise ExpressionError(f"not allowed in a rule: {ast.unparse(node)}", _col(node))


def _type(v: Value, type_of: TypeOf) -> FactType:
    if isinstance(v, Const):
        return v.type
    if isinstance(v, Fact):
        t = type_of(v.name)
        if t is None:
            raise ExpressionError(f"unknown fact '{v.name}'")
        return t
    lt, rt = _type(v.left, type_of), _type(v.right, type_of)
    if lt == "int" and rt == "int":
        return "int"
    if v.op == "-" and lt == "date" and rt == "date":
        return "int"  # days between two dates
    if v.op in ("+", "-") and lt == "date" and rt == "int":
        return "date"
    raise ExpressionError(f"cannot compute {lt} {v.op} {rt}")


# ---------------------------------------------------------------------------------------------
# Three-valued evaluation

class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "unknown"


MISSING = _Missing()
Env = Mapping[str, FactValue]


def value_of(v: Value, env: Env) -> FactValue | float | _Missing:
    if isinstance(v, Const):
        return v.value
    if isinstance(v, Fact):
        return env.get(v.name, MISSING)
    left, right = value_of(v.left, env), value_of(v.right, env)
    if isinstance(left, _Missing) or isinstance(right, _Missing):
        return MISSING
    assert not isinstance(left, str | bool) and not isinstance(right, str | bool)
    if v.op == "+":
        return left + right
    if v.op == "-":
        return left - right
    if v.op == "*":
        return left * right
    if right == 0:
        return MISSING
    return left / right


def compare(op: Op, a: object, b: object) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    assert isinstance(a, int | float) and isinstance(b, int | float)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def evaluate(c: Cond, env: Env) -> bool | None:
    """True, False, or None for unknown."""
    if isinstance(c, Truth):
        return c.value
    if isinstance(c, Cmp):
        a, b = value_of(c.left, env), value_of(c.right, env)
        if isinstance(a, _Missing) or isinstance(b, _Missing):
            return None
        return compare(c.op, a, b)
    if isinstance(c, In):
        x = env.get(c.item.name, MISSING)
        if isinstance(x, _Missing):
            return None
        found = any(x == v.value for v in c.values)
        return not found if c.negated else found
    if isinstance(c, Not):
        r = evaluate(c.item, env)
        return None if r is None else not r
    if isinstance(c, And):
        result: bool | None = True
        for item in c.items:
            r = evaluate(item, env)
            if r is False:
                return False
            if r is None:
                result = None
        return result
    result = False
    for item in c.items:
        r = evaluate(item, env)
        if r is True:
            return True
        if r is None:
            result = None
    return result


# facts_in of each expression object asked for, kept with the object so that its id is never
# reused; the policy and explore ask for the same rules' facts for every configuration they judge
_FACTS_IN: dict[int, tuple[Cond | Value, tuple[str, ...]]] = {}
_FACTS_IN_MAX = 100_000


def facts_in(x: Cond | Value) -> list[str]:
    """Every fact name an expression mentions, in order, once each."""
    hit = _FACTS_IN.get(id(x))
    if hit is not None and hit[0] is x:
        return list(hit[1])
    out = _facts_in(x)
    if len(_FACTS_IN) < _FACTS_IN_MAX:
        _FACTS_IN[id(x)] = (x, tuple(out))
    return out


def _facts_in(x: Cond | Value) -> list[str]:
    out: list[str] = []

    def walk(n: Cond | Value) -> None:
        if isinstance(n, Fact):
            if n.name not in out:
                out.append(n.name)
        elif isinstance(n, Arith | Cmp):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, In | Not):
            walk(n.item)
        elif isinstance(n, And | Or):
            for i in n.items:
                walk(i)

    walk(x)
    return out


def atoms(c: Cond) -> list[Cmp | In]:
    """The single comparisons a condition is made of, for a result per condition ("why not")."""
    if isinstance(c, Cmp | In):
        return [c]
    if isinstance(c, Not):
        return atoms(c.item)
    if isinstance(c, And | Or):
        return [a for i in c.items for a in atoms(i)]
    return []


def decisive_atoms(c: Cond, env: Env, want: bool | None = None) -> list[Cmp | In]:
    """The comparisons that decided a condition's value: for a false ``and`` the false parts, for
    a true ``or`` the true parts, and so on. ``want`` is the value being explained."""
    value = evaluate(c, env) if want is None else want
    if isinstance(c, Cmp | In):
        return [c]
    if isinstance(c, Truth):
        return []
    if isinstance(c, Not):
        return decisive_atoms(c.item, env, None if value is None else not value)
    deciding = [i for i in c.items if evaluate(i, env) is value]
    if (isinstance(c, And) and value is True) or (isinstance(c, Or) and value is False):
        deciding = list(c.items)
    return [a for i in deciding for a in decisive_atoms(i, env, value)]


# ---------------------------------------------------------------------------------------------
# Rendering

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}


def render_value(v: Value, show: Callable[[Fact], str] | None = None) -> str:
    if isinstance(v, Const):
        return _render_const(v)
    if isinstance(v, Fact):
        return show(v) if show else v.name
    left = render_value(v.left, show)
    right = render_value(v.right, show)
    if isinstance(v.right, Arith) and _PREC[v.right.op] <= _PREC[v.op]:
        right = f"({right})"
    if isinstance(v.left, Arith) and _PREC[v.left.op] < _PREC[v.op]:
        left = f"({left})"
    return f"{left} {v.op} {right}"


def _render_const(c: Const) -> str:
    if c.type == "date" and isinstance(c.value, int):
        return dt.date.fromordinal(c.value).isoformat()
    if c.type == "bool":
        return "true" if c.value else "false"
    if c.type == "str":
        return repr(c.value)
    return str(c.value)


def render(c: Cond, show: Callable[[Fact], str] | None = None) -> str:
    if isinstance(c, Truth):
        return "true" if c.value else "false"
    if isinstance(c, Cmp):
        if c.op == "==" and isinstance(c.right, Const) and c.right.type == "bool" and c.right.value is True:
            return render_value(c.left, show)
        return f"{render_value(c.left, show)} {c.op} {render_value(c.right, show)}"
    if isinstance(c, In):
        vals = ", ".join(_render_const(v) for v in c.values)
        return f"{render_value(c.item, show)} {'not in' if c.negated else 'in'} [{vals}]"
    if isinstance(c, Not):
        return f"not ({render(c.item, show)})"
    joiner = " and " if isinstance(c, And) else " or "
    parts = []
    for i in c.items:
        s = render(i, show)
        parts.append(f"({s})" if isinstance(i, And | Or) else s)
    return joiner.join(parts)


# ---------------------------------------------------------------------------------------------
# Disjunctive normal form, for an engine that matches conjunctions of tests

class Literal_(Record):
    """One test in a conjunction: an atom that must be ``want`` (True or False)."""

    __slots__ = ("atom", "want")
    atom: Cmp | In
    want: bool

    def __init__(self, atom: Cmp | In, want: bool) -> None:
        init(self, "atom", atom)
        init(self, "want", want)


def dnf(c: Cond, want: bool) -> list[list[Literal_]]:
    """The condition being definitely ``want``, as a disjunction of conjunctions of definite atoms.

    Under three-valued logic "definitely false" is not "not definitely true", so both are built
    from atoms that are themselves definite (every fact they name present)."""
    if isinstance(c, Truth):
        return [[]] if c.value == want else []
    if isinstance(c, Cmp | In):
        return [[Literal_(c, want)]]
    if isinstance(c, Not):
        return dnf(c.item, not want)
    conjunctive = isinstance(c, And) == want
    if conjunctive:
        result: list[list[Literal_]] = [[]]
        for item in c.items:
            sub = dnf(item, want)
            result = [a + b for a in result for b in sub]
        return result
    return [clause for item in c.items for clause in dnf(item, want)]
