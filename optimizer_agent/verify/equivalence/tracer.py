"""Behaviour capture, shipped into the sandbox as `sitecustomize.py`: record calls to the target functions.

Configured by the OA_CAPTURE environment variable (JSON). When a module whose file is a target's file
finishes executing, the target functions in it are wrapped. Each wrapper records up to `max_calls`
distinct outermost calls per process: the arguments pickled before the call, the arguments pickled after
it (in-place mutations), and the return value, the exception, or the items a returned iterator yields as
the program consumes them. Values pickle cannot keep fall back to a deep repr. Records are appended to
`<out>/calls-<pid>.pkl` as they complete, so a crash loses at most the calls still running.

`random` (and numpy's global generator, when loaded) is seeded before each recorded call, as the replayer
does. The tracer runs inside untrusted, arbitrary programs: it must never change their outcome, so every
failure of its own is swallowed. Standard library only; Python 3.10-3.13.
"""

import os
import sys


def _install() -> None:
    import atexit
    import functools
    import hashlib
    import importlib.machinery
    import json
    import pickle
    import random
    import threading
    import time
    import types

    config = json.loads(os.environ["OA_CAPTURE"])
    from _oa_compare import deep_repr, type_name
    from _oa_outcome import is_iterator

    protocol = 4
    state = {"written": {}, "counts": {}, "seen": set(), "bytes": 0, "pending": {}, "header": set()}
    local = threading.local()
    lock = threading.Lock()
    targets = {}
    for target in config["targets"]:
        targets.setdefault(os.path.realpath(target["path"]), []).append(target)

    def snapshot(value):
        """Pickled bytes of `value`, or None when pickle cannot keep it."""
        try:
            return pickle.dumps(value, protocol=protocol)
        except Exception:  # noqa: BLE001 - unpicklable values are expected
            return None

    def keep(value, record, field):
        """Store `value` pickled, or its deep repr (counted) when it cannot be pickled or is too large."""
        data = snapshot(value)
        if data is not None and len(data) <= config["max_call_bytes"]:
            record[field] = data
            return
        record[field] = None
        record[field + "_repr"] = deep_repr(value)
        record["repr_fallbacks"] = record.get("repr_fallbacks", 0) + 1

    def write(record):
        """Append one record to this process's file (with a header first: the in-tree sys.path)."""
        pid = os.getpid()
        path = os.path.join(config["out"], f"calls-{pid}.pkl")
        with lock:
            with open(path, "ab") as handle:
                if pid not in state["header"]:
                    state["header"].add(pid)
                    root = os.path.realpath(config["root"])
                    rel = []
                    for entry in sys.path:
                        full = os.path.realpath(entry or os.getcwd())
                        if full == root or full.startswith(root + os.sep):
                            rel.append(os.path.relpath(full, root))
                    pickle.dump({"header": True, "sys_path": rel, "python": sys.version}, handle, protocol)
                data = pickle.dumps(record, protocol)
                handle.write(data)
                state["bytes"] += len(data)

    def skip(key, reason):
        """Count a call that could not be recorded; the counts are written at exit."""
        counts = state["counts"].setdefault(key, {})
        counts[reason] = counts.get(reason, 0) + 1

    def flush_skips():
        """Write the counts of calls that could not be recorded."""
        for key, counts in state["counts"].items():
            for reason, count in counts.items():
                write({"skipped": True, "target": key, "reason": reason, "count": count})
        state["counts"] = {}

    def finish(record, args, kwargs, *, result=None, exc=None):
        """Complete a record with the arguments' state after the call and the outcome, and write it."""
        record["seconds"] = time.perf_counter() - record.pop("_start")
        keep((args, kwargs), record, "post")
        if exc is not None:
            record["outcome"] = "raise"
            record["exc_type"] = type_name(exc)
            record["exc_msg"] = str(exc)[:500]
        elif record.get("outcome") != "iter":
            record["outcome"] = "return"
            record["result_type"] = type_name(result)
            keep(result, record, "result")
        state["pending"].pop(id(record), None)
        write(record)

    def track(record, iterator, args, kwargs):
        """A generator that records what `iterator` yields as the program consumes it."""
        record["outcome"] = "iter"
        record["result_type"] = type_name(iterator)
        record["items"] = []
        state["pending"][id(record)] = (record, args, kwargs)
        truncated = False
        try:
            for item in iterator:
                if len(record["items"]) < config["max_items"]:
                    data = snapshot(item)
                    record["items"].append(data if data is not None else ("repr", deep_repr(item)))
                else:
                    truncated = True
                yield item
        except GeneratorExit:
            record["iter_state"] = "partial"
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            finish(record, args, kwargs)
            raise
        except BaseException as exc:
            record["iter_state"] = "raised"
            record["iter_exc"] = type_name(exc)
            finish(record, args, kwargs)
            raise
        # Past the item limit only a prefix is known; the replay then checks that prefix alone.
        record["iter_state"] = "partial" if truncated else "done"
        finish(record, args, kwargs)

    def flush_pending():
        """At exit, write the iterators the program never finished, as partial."""
        for record, args, kwargs in list(state["pending"].values()):
            if record.get("pid") == os.getpid():
                record["iter_state"] = "partial"
                try:
                    finish(record, args, kwargs)
                except Exception:  # noqa: BLE001
                    pass

    atexit.register(flush_skips)
    # A forked child reports its own skips; its parent's are the parent's to write.
    os.register_at_fork(after_in_child=lambda: state["counts"].clear())
    atexit.register(flush_pending)

    def seed():
        """Seed `random` (and numpy's global generator) as the replayer will."""
        random.seed(config["seed"])
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            try:
                numpy.random.seed(config["seed"])
            except Exception:  # noqa: BLE001
                pass

    def wrap(fn, target, module_name, kind):
        """A stand-in for `fn` that records its outermost calls."""
        key = target["key"]

        @functools.wraps(fn)
        def recorder(*args, **kwargs):
            """Call the original, recording this call when it is new and the limits allow."""
            active = local.__dict__.setdefault("active", set())
            if key in active or state["written"].get(key, 0) >= config["max_calls"]:
                return fn(*args, **kwargs)
            try:
                record = start(key, target, module_name, kind, args, kwargs)
            except Exception:  # noqa: BLE001
                record = None
            # Calls made from inside this one (recursion) are not outermost calls: never record them.
            active.add(key)
            try:
                if record is None:
                    return fn(*args, **kwargs)
                seed()
                record["_start"] = time.perf_counter()
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:
                    _quiet(finish, record, args, kwargs, exc=exc)
                    raise
            finally:
                active.discard(key)
            if is_iterator(result):
                return track(record, result, args, kwargs)
            _quiet(finish, record, args, kwargs, result=result)
            return result

        recorder.__oa_wrapped__ = True
        return recorder

    def start(key, target, module_name, kind, args, kwargs):
        """A new record with the pickled arguments, or None when this call is not recorded."""
        pre = snapshot((args, kwargs))
        if pre is None:
            skip(key, "unpicklable arguments: " + ", ".join(sorted({type_name(a) for a in args})))
            return None
        if len(pre) > config["max_call_bytes"]:
            skip(key, "arguments too large to record")
            return None
        if state["bytes"] + len(pre) > config["max_bytes"]:
            skip(key, "the recording's size limit was reached")
            return None
        digest = hashlib.sha256(key.encode() + pre).hexdigest()
        if digest in state["seen"]:
            return None
        state["seen"].add(digest)
        state["written"][key] = state["written"].get(key, 0) + 1
        return {"target": key, "module": module_name, "qualname": target["qualname"], "kind": kind,
                "pre": pre, "pid": os.getpid()}

    def install(module, target):
        """Replace the target in its freshly executed module (or class) with a recorder."""
        parts = target["qualname"].split(".")
        owner = module
        for part in parts[:-1]:
            owner = getattr(owner, part)
            if not isinstance(owner, type):
                return
        name = parts[-1]
        raw = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
        module_name = module.__name__
        if isinstance(raw, staticmethod):
            setattr(owner, name, staticmethod(wrap(raw.__func__, target, module_name, "staticmethod")))
        elif isinstance(raw, classmethod):
            setattr(owner, name, classmethod(wrap(raw.__func__, target, module_name, "classmethod")))
        elif isinstance(raw, property) and raw.fget is not None:
            fget = wrap(raw.fget, target, module_name, "property")
            setattr(owner, name, property(fget, raw.fset, raw.fdel, raw.__doc__))
        elif isinstance(raw, types.FunctionType) and not getattr(raw, "__oa_wrapped__", False):
            kind = "method" if isinstance(owner, type) else "function"
            setattr(owner, name, wrap(raw, target, module_name, kind))

    loader_class = importlib.machinery.SourceFileLoader
    original_exec = loader_class.exec_module

    def exec_module(self, module):
        """Execute a source module as usual, then wrap any targets it defines."""
        original_exec(self, module)
        try:
            wanted = targets.get(os.path.realpath(self.path))
        except Exception:  # noqa: BLE001
            wanted = None
        for target in wanted or ():
            _quiet(install, module, target)

    loader_class.exec_module = exec_module
    os.makedirs(config["out"], exist_ok=True)


def _quiet(fn, *args, **kwargs):
    """Call `fn`, swallowing its errors: the tracer must never change the traced program's outcome."""
    try:
        fn(*args, **kwargs)
    except Exception:  # noqa: BLE001
        pass


def _chain_site_customize() -> None:
    """Run the sitecustomize that this file shadows, if the interpreter has one."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


if os.environ.get("OA_CAPTURE"):
    try:
        _install()
    except Exception as _exc:  # noqa: BLE001
        sys.stderr.write(f"optimizer-agent capture disabled: {type(_exc).__name__}: {_exc}\n")
_quiet(_chain_site_customize)
