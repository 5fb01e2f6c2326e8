"""Which functions a change touches, named as the tracer wraps them."""

from optimizer_agent.verify.changes import capture_targets, changed_functions

ORIGINAL = '''
def helper(x):
    return x + 1


def outer(xs):
    def inner(x):
        return x * 2
    return [inner(x) for x in xs]


class Shape:
    def area(self):
        return 1

    def name(self):
        return "shape"
'''


def test_a_changed_method_and_a_changed_nested_function_are_named_as_wrapped():
    new = ORIGINAL.replace("return x * 2", "return x + x").replace("return 1", "return 1.0")
    assert changed_functions(ORIGINAL, new) == ["outer", "Shape.area"]


def test_new_helpers_are_not_targets_but_dropped_functions_are():
    new = ORIGINAL.replace("def helper(x):\n    return x + 1\n", "") + "\ndef extra():\n    return 0\n"
    assert changed_functions(ORIGINAL, new) == ["helper"]


def test_the_target_comes_first_even_when_unchanged():
    new = ORIGINAL.replace('return "shape"', 'return "Shape"')
    assert capture_targets(ORIGINAL, new, "outer.inner") == ["outer", "Shape.name"]
    assert capture_targets(ORIGINAL, ORIGINAL, "helper") == ["helper"]
    assert capture_targets(ORIGINAL, ORIGINAL, "missing") == []
