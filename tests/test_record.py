"""A Record (record.py) behaves as the frozen dataclass it replaces: equality, hash, repr, order of
fields, immutability, pickling and copying."""

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from optionsmodell.expressions import And, Cmp, Const, Fact, In, Not, Or, Truth
from optionsmodell.record import Record, init, replace


class Pair(Record):
    __slots__ = ("left", "right")
    right: object  # annotated in this order: the field order is the annotations', not the slots'
    left: object

    def __init__(self, right: object, left: object) -> None:
        init(self, "right", right)
        init(self, "left", left)


@dataclasses.dataclass(frozen=True)
class PairDC:
    right: object
    left: object


class Other(Record):
    __slots__ = ("left", "right")
    right: object
    left: object

    def __init__(self, right: object, left: object) -> None:
        init(self, "right", right)
        init(self, "left", left)


values = st.one_of(st.integers(), st.text(max_size=5), st.none(), st.booleans(), st.tuples(st.integers()))


@given(values, values, values, values)
def test_like_a_frozen_dataclass(a: object, b: object, c: object, d: object) -> None:
    r, s = Pair(a, b), Pair(c, d)
    assert (r == s) == (PairDC(a, b) == PairDC(c, d))
    assert hash(r) == hash(PairDC(a, b))
    assert repr(r) == repr(PairDC(a, b)).replace("PairDC", "Pair")
    assert pickle.loads(pickle.dumps(r)) == r
    assert copy.deepcopy(r) == r and copy.copy(r) == r
    assert r != Other(a, b)  # another class with the same fields is not equal, as with dataclasses
    assert getattr(Pair, "__match_args__") == ("right", "left")  # noqa: B009


def test_frozen() -> None:
    r = Pair(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.left = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        del r.left
    with pytest.raises(AttributeError):
        r.__dict__  # noqa: B018 (slots: no per-instance dict)


def test_slots_must_name_the_fields() -> None:
    with pytest.raises(TypeError):
        class Bad(Record):
            __slots__ = ("a",)
            b: int


def test_expression_nodes() -> None:
    tree = And((Cmp("<", Fact("a"), Const(3, "int")), Not(Or((Truth(True), In(Fact("k"), (Const("x", "str"),), False))))))
    same = And((Cmp("<", Fact("a"), Const(3, "int")), Not(Or((Truth(True), In(Fact("k"), (Const("x", "str"),), False))))))
    assert tree == same and hash(tree) == hash(same) and {tree: 1}[same] == 1
    assert pickle.loads(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL)) == tree
    assert repr(Cmp("<", Fact("a"), Const(3, "int"))) == "Cmp(op='<', left=Fact(name='a'), right=Const(value=3, type='int'))"


def test_replace() -> None:
    r = Pair(1, 2)
    assert replace(r, left=3) == Pair(1, 3) and r == Pair(1, 2)
    with pytest.raises(TypeError):
        replace(r, middle=3)
