"""The AST walk behind a program profile: aliases first, then one pass that counts loops, calls and shapes."""

from __future__ import annotations

import ast
from collections import Counter

from optimizer_agent.skilllib.miner.shapes import FLOAT_CALLS, dotted, is_zero, mentions_subscript_of, value_kind

STDIN_PREFIX = "sys.stdin"

class ProgramWalker(ast.NodeVisitor):
    """Collects the facts of a `Profile` from one module's AST."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.modules: set[str] = set()
        """Names bound by `import x` (without `as`)."""
        self.kinds: dict[str, str] = {}
        self.imports: set[str] = set()
        self.calls: Counter[str] = Counter()
        self.calls_in_loop: Counter[str] = Counter()
        self.membership: Counter[str] = Counter()
        self.decorators: set[str] = set()
        self.recursive: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.depth = 0
        self.max_depth = 0
        self.functions: list[str] = []
        self.toplevel_functions: set[str] = set()
        self.main_called = False

    # ---- driving -------------------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        """Collect aliases and container kinds, then walk the module once."""
        self._collect_aliases(tree)
        self.toplevel_functions = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.main_called = any(self._calls_toplevel_function(stmt) for stmt in tree.body)
        self.visit(tree)

    def facts(self) -> dict:
        """The walked facts as `Profile` fields."""
        c = self.counts
        return {
            "imports": sorted(self.imports), "calls": dict(self.calls), "calls_in_loop": dict(self.calls_in_loop),
            "loops": c["loops"], "while_loops": c["while"], "max_loop_depth": self.max_depth,
            "toplevel_loops": c["toplevel_loops"], "comprehensions": c["comprehensions"],
            "appends_in_loop": c["appends_in_loop"], "breaks": c["breaks"], "continues": c["continues"], "returns_in_loop": c["returns_in_loop"],
            "recursive": sorted(self.recursive), "decorators": sorted(self.decorators), "memo_checks": c["memo"],
            "str_concat_in_loop": c["str_concat"], "membership_in_loop": dict(self.membership),
            "sieve_loops": c["sieve"], "recurrences": c["recurrences"], "table_allocs": c["table_allocs"],
            "float_ops": c["float_ops"], "floor_divs": c["floor_divs"], "arith_ops": c["arith"],
            "mod_in_loop": c["mod_in_loop"],
            "main_called": self.main_called,
        }

    def resolve(self, node: ast.AST) -> str | None:
        """The callee's dotted name with import and assignment aliases applied."""
        name = dotted(node)
        if name is None:
            if isinstance(node, ast.Attribute):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    return "str." + node.attr
                return "." + node.attr
            return None
        head, _, rest = name.partition(".")
        if head in self.aliases:
            return self.aliases[head] + ("." + rest if rest else "")
        if not rest or head in self.modules:
            return name
        return "." + name.rsplit(".", 1)[1]

    def _collect_aliases(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.imports.add(a.name)
                    if a.asname:
                        self.aliases[a.asname] = a.name
                    else:
                        self.modules.add(a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module:
                self.imports.add(node.module)
                for a in node.names:
                    if a.name != "*":
                        self.imports.add(f"{node.module}.{a.name}")
                        self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self._note_assignment(node.targets[0].id, node.value)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and self._reads_stdin(node):
                self.aliases[node.name] = self._stdin_call(node) or STDIN_PREFIX

    def _note_assignment(self, name: str, value: ast.AST) -> None:
        if isinstance(value, (ast.Attribute, ast.Name)):
            target = self.resolve(value)
            # Only module-qualified targets are aliases; `a = b` between two lists is not.
            if target and "." in target and not target.startswith(".") and target != name:
                self.aliases[name] = target
            return
        if isinstance(value, ast.Lambda) and (call := self._stdin_call(value)):
            self.aliases[name] = call
            return
        kind = value_kind(value, self.resolve)
        if kind is not None:
            self.kinds[name] = kind if self.kinds.get(name, kind) == kind else "unknown"

    def _stdin_call(self, node: ast.AST) -> str | None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                name = self.resolve(sub.func)
                if name and name.startswith(STDIN_PREFIX):
                    return name
        return None

    def _reads_stdin(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        return node.name in {"input", "read", "readline", "I", "II", "LI", "MI"} and self._stdin_call(node) is not None

    def _calls_toplevel_function(self, stmt: ast.stmt) -> bool:
        if isinstance(stmt, ast.If):
            return any(self._calls_toplevel_function(s) for s in stmt.body)
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "exit":
            call = call.args[0] if call.args else None  # exit(main())
        return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in self.toplevel_functions

    # ---- loops ---------------------------------------------------------------------------------------------
    def _loop(self, node: ast.For | ast.While | ast.AsyncFor, header: list[ast.AST]) -> None:
        self.counts["loops"] += 1
        self.counts["while"] += isinstance(node, ast.While)
        self.counts["toplevel_loops"] += self.depth == 0 and not self.functions
        for part in header:
            self.visit(part)
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        for stmt in node.body:
            self.visit(stmt)
        self.depth -= 1
        for stmt in node.orelse:
            self.visit(stmt)

    def visit_For(self, node: ast.For) -> None:  # noqa: N802 (ast.NodeVisitor naming)
        """A for loop; a `range(f(i), n, i)` header is the sieve shape."""
        self.counts["sieve"] += self._is_sieve_range(node.iter)
        self._loop(node, [node.target, node.iter])

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> None:  # noqa: N802
        """A while loop."""
        self._loop(node, [node.test])

    def _comprehension(self, node: ast.AST, generators: list[ast.comprehension]) -> None:
        self.counts["comprehensions"] += 1
        saved = self.depth
        for gen in generators:
            self.visit(gen.iter)
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
            for cond in gen.ifs:
                self.visit(cond)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.comprehension):
                self.visit(child)
        self.depth = saved

    def visit_ListComp(self, node: ast.ListComp) -> None:  # noqa: N802
        """A list comprehension counts as one loop level per `for`."""
        self._comprehension(node, node.generators)

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    def _is_sieve_range(self, node: ast.AST) -> bool:
        if not (isinstance(node, ast.Call) and self.resolve(node.func) == "range" and len(node.args) == 3):
            return False
        step, start = node.args[2], node.args[0]
        return isinstance(step, ast.Name) and not isinstance(start, ast.Name) and any(
            isinstance(n, ast.Name) and n.id == step.id for n in ast.walk(start))

    # ---- statements ----------------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # noqa: N802
        """A function: its decorators, its memo-dict checks, and loops counted from depth 0 inside."""
        for deco in node.decorator_list:
            name = self.resolve(deco.func if isinstance(deco, ast.Call) else deco)
            if name:
                self.decorators.add(name)
        self.counts["memo"] += sum(self._is_memo_check(n) for n in ast.walk(node) if isinstance(n, ast.If))
        saved = self.depth
        self.depth = 0
        self.functions.append(node.name)
        for stmt in node.body:
            self.visit(stmt)
        self.functions.pop()
        self.depth = saved

    visit_AsyncFunctionDef = visit_FunctionDef

    def _is_memo_check(self, node: ast.If) -> bool:
        test = node.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.In)
                and isinstance(test.comparators[0], ast.Name)):
            return False
        cache = test.comparators[0].id
        return any(isinstance(s, ast.Return) and s.value is not None and mentions_subscript_of(s.value, cache)
                   for s in node.body)

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802
        """Table recurrences (`t[i] = t[i-1] + x`) and slice-assignment sieves."""
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                self.counts["recurrences"] += mentions_subscript_of(node.value, target.value.id)
                step = target.slice.step if isinstance(target.slice, ast.Slice) else None
                self.counts["sieve"] += isinstance(step, ast.Name)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:  # noqa: N802
        """`s += "x"` on a string inside a loop, and `t[i] += t[j]` recurrences."""
        self.counts["arith"] += 1
        self.counts["mod_in_loop"] += isinstance(node.op, ast.Mod) and self.depth > 0
        target = node.target
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.counts["recurrences"] += mentions_subscript_of(node.value, target.value.id)
        if self.depth and isinstance(node.op, ast.Add) and self._is_stringy(node):
            self.counts["str_concat"] += 1
        self.generic_visit(node)

    def _is_stringy(self, node: ast.AugAssign) -> bool:
        value = node.value
        if isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            return True
        if isinstance(value, ast.Call) and self.resolve(value.func) == "str":
            return True
        return isinstance(node.target, ast.Name) and self.kinds.get(node.target.id) == "str"

    def visit_Break(self, node: ast.Break) -> None:  # noqa: N802
        """A break leaves a loop early."""
        self.counts["breaks"] += 1

    def visit_Continue(self, node: ast.Continue) -> None:  # noqa: N802
        """A continue skips the rest of one iteration."""
        self.counts["continues"] += 1

    def visit_Return(self, node: ast.Return) -> None:  # noqa: N802
        """A return inside a loop exits early."""
        self.counts["returns_in_loop"] += self.depth > 0
        self.generic_visit(node)

    # ---- expressions ---------------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        """Count the callee (aliases resolved), in and out of loops; note recursion and float work."""
        name = self.resolve(node.func)
        if name:
            if name == "pow" and len(node.args) == 3:
                name = "pow/3"
            elif name in {".pop", ".insert"} and node.args and is_zero(node.args[0]):
                name += "(0)"
            self.calls[name] += 1
            if self.depth:
                self.calls_in_loop[name] += 1
                self.counts["appends_in_loop"] += name == ".append"
            if self.functions and name == self.functions[-1]:
                self.recursive.add(name)
            self.counts["float_ops"] += name in FLOAT_CALLS
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:  # noqa: N802
        """Arithmetic: float division, floor division, `** 0.5`, and `[0] * n` table allocations."""
        self.counts["arith"] += 1
        op = node.op
        self.counts["float_ops"] += isinstance(op, ast.Div) or (
            isinstance(op, ast.Pow) and isinstance(node.right, ast.Constant) and isinstance(node.right.value, float))
        self.counts["floor_divs"] += isinstance(op, ast.FloorDiv)
        self.counts["mod_in_loop"] += isinstance(op, ast.Mod) and self.depth > 0
        self.counts["table_allocs"] += isinstance(op, ast.Mult) and isinstance(node.left, ast.List)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:  # noqa: N802
        """`in` tests inside loops, by the kind of container they search."""
        if self.depth:
            for op, right in zip(node.ops, node.comparators):
                if isinstance(op, (ast.In, ast.NotIn)):
                    self.membership[self._container_kind(right)] += 1
        self.generic_visit(node)

    def _container_kind(self, node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return self.kinds.get(node.id, "unknown")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "keys":
            return "dict"
        return value_kind(node, self.resolve) or "unknown"
