"""Frozen value classes that are cheap to define.

On CPython 3.11 defining a frozen dataclass costs about 0.8 ms (each generated method is compiled
with ``exec``), and a single ``check`` imported two dozen of them: a sixth of what its start-up spends
beyond the libraries' own imports (issue 10, docs/performance.md "A single check"). A ``Record``
annotates its fields, names them in ``__slots__`` too, and writes its typed ``__init__`` (setting each field with
``object.__setattr__``); equality, hash, ``repr``, immutability, ``__match_args__`` and pickling follow
the fields in order, as those of a frozen dataclass do.
"""

import inspect
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar

init = object.__setattr__  # a Record's __init__ sets its fields with this


class Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _values: Any = staticmethod(lambda obj: ())

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the fields in the order their annotations are written, as a dataclass's; __slots__ holds them
        fields = tuple(f for c in reversed(cls.__mro__) if c is not Record and issubclass(c, Record)
                       for f in inspect.get_annotations(c))
        if set(fields) != {f for c in cls.__mro__ for f in c.__dict__.get("__slots__", ())}:
            raise TypeError(f"{cls.__qualname__}: __slots__ must name exactly the annotated fields")
        cls._fields = fields
        setattr(cls, "__match_args__", fields)  # noqa: B010 (a class attribute mypy does not know of)
        # one C call for the tuple of values that equality and hash compare (attrgetter of a
        # single name returns the value itself, not a tuple)
        values: Callable[[Any], tuple[Any, ...]]
        if len(fields) > 1:
            values = attrgetter(*fields)
        elif fields:
            values = (lambda get: lambda obj: (get(obj),))(attrgetter(fields[0]))
        else:
            values = Record._values
        cls._values = staticmethod(values)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) == self._values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (self.__class__, tuple(self._values(self)))


class MutableRecord(Record):
    """A Record whose fields may be set after it is made: like a dataclass that is not frozen (and,
    like one that compares its fields, not hashable)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    __setattr__ = object.__setattr__  # type: ignore[assignment]
    __delattr__ = object.__delattr__


R = TypeVar("R", bound=Record)


def replace(obj: R, **changes: Any) -> R:
    """A copy of a Record with some fields changed, as ``dataclasses.replace`` makes of a dataclass."""
    unknown = set(changes) - set(obj._fields)
    if unknown:
        raise TypeError(f"{type(obj).__qualname__} has no field {', '.join(sorted(unknown))}")
    return type(obj)(**{**dict(zip(obj._fields, obj._values(obj), strict=True)), **changes})
