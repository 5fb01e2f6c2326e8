"""list_concat_append: `acc = acc + ...` on a private list in a loop grows it in place."""

RID = "list_concat_append"


def test_flatten_rows(assert_rewrites):
    new = assert_rewrites(RID, '''
        def flatten(rows):
            flat = []
            for row in rows:
                flat = flat + row  # copies every time
            return flat
        ''', "flatten", [([],), ([[1, 2], [], [3]],), ([[i, i + 1] for i in range(50)],), ([[1], [2, 3]],)])
    assert "        flat.extend(row)  # copies every time\n" in new


def test_append_with_reads_of_the_list_in_a_while_loop(assert_rewrites):
    new = assert_rewrites(RID, '''
        def collatz(n):
            steps = list()
            while n != 1 and len(steps) < 200:
                if n in steps:
                    break
                steps = steps + [n]
                n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += [1]
            if steps[-1] == steps.count(4):
                return []
            return steps
        ''', "collatz", [(1,), (6,), (27,)])
    assert "steps.append(n)" in new


def test_method_with_nested_loops_and_a_multi_item_display(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Pairs:
            def build(self, xs):
                pairs = [x for x in xs if x]
                for x in xs:
                    for y in xs:
                        if x < y:
                            pairs = pairs + [x, y]
                for p in pairs:
                    pass
                return pairs
        ''', "Pairs.build", [([3, 1, 2],), ([],), ([0, 0],)], entry=lambda ns: ns["Pairs"]().build)
    assert "pairs.extend([x, y])" in new


def test_declines_when_the_list_may_be_aliased(assert_declines):
    assert_declines(RID, '''
        def f(rows, acc):
            for row in rows:
                acc = acc + row
            return acc
        ''', "f")
    assert_declines(RID, '''
        def f(rows):
            acc = []
            snapshot = acc
            for row in rows:
                acc = acc + row
            return acc, snapshot
        ''', "f")
    assert_declines(RID, '''
        def f(rows, seen):
            acc = []
            for row in rows:
                acc = acc + row
                seen.append(acc)
            return acc
        ''', "f")
    assert_declines(RID, '''
        def f(rows, template):
            acc = template
            for row in rows:
                acc = acc + row
            return acc
        ''', "f")


def test_declines_outside_loops_non_list_operands_and_self_iteration(assert_declines):
    assert_declines(RID, '''
        def f(a, b):
            acc = []
            acc = acc + a
            for x in b:
                acc = acc + (x,)
            return acc
        ''', "f")
    assert_declines(RID, '''
        def f(xs):
            acc = [1, 2]
            for x in acc:
                if len(acc) < 10:
                    acc = acc + [x]
            return acc
        ''', "f")
    assert_declines(RID, '''
        def f(rows):
            acc = []
            for row in rows:
                acc = acc + row
                yield len(acc)
        ''', "f")
