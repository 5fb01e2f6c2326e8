"""What a replayed call did compared with what the recording says: return value, exception, iterator.

Shipped into the sandbox as `_oa_outcome.py` next to `_oa_compare.py`; standard library only.
"""

import importlib
import pickle
import types

from _oa_compare import compare, deep_repr, short, type_name


class Unreplayable(Exception):
    """This call cannot be replayed here (its recorded values do not load); it is skipped and counted."""


def loaded(data, what):
    """Unpickle one recorded value, or skip the call when it cannot be loaded here."""
    try:
        return pickle.loads(data)
    except BaseException as exc:  # noqa: BLE001
        raise Unreplayable(f"cannot load recorded {what}: {type(exc).__name__}") from None


def is_iterator(value):
    """Generators and other one-pass iterators (not containers, not files)."""
    if isinstance(value, types.GeneratorType):
        return True
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) or hasattr(value, "fileno"):
        return False
    return hasattr(type(value), "__next__") and hasattr(type(value), "__iter__")


def is_mutable(value):
    """Values a caller could change in place, so handing the same one out twice matters."""
    if isinstance(value, (list, dict, set, bytearray)):
        return True
    return hasattr(value, "__dict__") and not isinstance(value, (type, types.FunctionType, types.ModuleType))


def same(expected_data, expected_repr, got, tol, path):
    """Compare a recorded value (pickled, or its deep repr when pickle could not keep it) with a live one."""
    if expected_data is None:
        text = deep_repr(got)
        return None if text == expected_repr else f"{path} (compared by repr): expected {expected_repr[:160]}, got {text[:160]}"
    return compare(loaded(expected_data, path), got, tol, path)


def outcome_difference(record, result, raised, tol):
    """How the replayed outcome differs from the recorded return, exception or iterator, or None."""
    outcome = record["outcome"]
    if outcome == "raise":
        if raised is None:
            return f"expected {record['exc_type']} to be raised, got a return value {short(result)}"
        if type_name(raised) != record["exc_type"]:
            return f"expected {record['exc_type']} to be raised, got {type_name(raised)}: {short(str(raised))}"
        return None
    if raised is not None:
        return f"expected a {'return value' if outcome == 'return' else 'iterator'}, got {type_name(raised)}: {short(str(raised))}"
    if outcome == "return":
        return same(record.get("result"), record.get("result_repr"), result, tol, "result")
    if not is_iterator(result):
        return f"expected an iterator ({record['result_type']}), got {type_name(result)} {short(result)}"
    return iterator_difference(record, result, tol)


def iterator_difference(record, iterator, tol):
    """Consume the candidate's iterator as far as the original's was consumed, item by item."""
    items = record.get("items", [])
    for i, item in enumerate(items):
        try:
            got = next(iterator)
        except StopIteration:
            return f"iterator stopped after {i} items; the original yielded at least {len(items)}"
        except BaseException as exc:  # noqa: BLE001
            return f"iterator raised {type_name(exc)} after {i} items; the original yielded at least {len(items)}"
        if isinstance(item, tuple):
            problem = same(None, item[1], got, tol, f"item[{i}]")
        else:
            problem = same(item, None, got, tol, f"item[{i}]")
        if problem:
            return problem
    state = record.get("iter_state", "partial")
    if state == "partial":
        return None
    try:
        extra = next(iterator)
    except StopIteration:
        return None if state == "done" else f"iterator ended after {len(items)} items; the original raised {record.get('iter_exc')}"
    except BaseException as exc:  # noqa: BLE001
        if state == "raised" and type_name(exc) == record.get("iter_exc"):
            return None
        return f"iterator raised {type_name(exc)} after {len(items)} items; the original {'ended' if state == 'done' else 'raised ' + str(record.get('iter_exc'))}"
    return f"iterator yields more than the original's {len(items)} items (next: {short(extra)})"


def load_judge(spec):
    """The project's result judge (`module:function`), or None; imported before any code under test runs."""
    if not spec:
        return None
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def judged(judge, record, result, problem):
    """None when the project's judge accepts a returned result that differs from the recording, else `problem`.

    The judge sees fresh copies of the call's arguments (the call may have changed them) and both results.
    """
    if judge is None or record["outcome"] != "return" or record.get("result") is None:
        return problem
    args, kwargs = loaded(record["pre"], "arguments")
    expected = loaded(record["result"], "result")
    try:
        accepted = judge(f"{record['module']}:{record['qualname']}", args, kwargs, expected, result)
    except BaseException as exc:  # noqa: BLE001 - a judge that fails cannot vouch for the result
        return f"{problem} (the result judge failed: {type_name(exc)}: {short(str(exc))})"
    return None if accepted is True else problem
