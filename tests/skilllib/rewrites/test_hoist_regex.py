"""hoist_regex: constant regular expressions in loops are compiled once before the loop."""

RID = "hoist_regex"


def test_module_functions_in_for_loop_map_arguments(assert_rewrites):
    new = assert_rewrites(RID, r'''
        import re

        def normalise(lines):
            out = []
            for line in lines:
                if re.match(r"\s*#", line):
                    continue
                out.append(re.sub(r"\s+", " ", line, 1, flags=re.M).strip())
                out.append(re.subn("a", "b", line, count=2))
            return out
        ''', "normalise", [(["  # c", "a  b   c", "aaa"],), ([],)])
    assert 'regex = re.compile(r"\\s*#")' in new
    assert 'regex_2 = re.compile(r"\\s+", re.M)' in new
    assert 'regex_2.sub(" ", line, 1)' in new
    assert 'regex_3.subn("b", line, count=2)' in new


def test_method_with_while_loop_compile_and_positional_flags(assert_rewrites):
    new = assert_rewrites(RID, r'''
        import re


        class Scanner:
            def words(self, text):
                found = []
                pos = 0
                while pos < len(text):
                    word = re.compile(r"[a-z]+", re.I | re.A)
                    m = word.match(text, pos)
                    if m:
                        found.append(m.group())
                        pos = m.end()
                    else:
                        found.extend(re.findall("[0-9]", text[pos], re.I))
                        pos += 1
                return found
        ''', "Scanner.words", [("Hi 42 there",), ("",), ("!!",)], entry=lambda ns: ns["Scanner"]().words)
    assert 'regex = re.compile(r"[a-z]+", re.I | re.A)' in new
    assert "word = regex\n" in new
    assert 'regex_2.findall(text[pos])' in new


def test_comprehension_and_nested_loops_share_one_compile(assert_rewrites):
    new = assert_rewrites(RID, r'''
        import re

        def fields(blocks):
            rows = []
            for block in blocks:
                for line in block:
                    rows.append([re.split(r",\s*", cell) for cell in line if re.fullmatch(r".+", cell)])
                    rows.append(re.split(r",\s*", line[0], 1) if line else [])
            return rows
        ''', "fields", [([[["a, b", "c"], ["", "d,e"]]],), ([],), ([[]],)])
    assert new.count("re.compile") == 2
    assert new.index("regex = re.compile") < new.index("for block in blocks")


def test_declines_without_plain_import_or_constant_pattern(assert_declines):
    assert_declines(RID, '''
        import re as regex_module

        def f(xs):
            return [regex_module.match("a", x) for x in xs]
        ''', "f")
    assert_declines(RID, '''
        import re

        def f(xs, pattern):
            return [re.match(pattern, x) for x in xs]
        ''', "f")
    assert_declines(RID, '''
        import re

        def f(xs, flags):
            return [re.match("a", x, flags) for x in xs]
        ''', "f")


def test_declines_on_invalid_pattern_debug_flag_or_outside_loops(assert_declines):
    assert_declines(RID, '''
        import re

        def f(xs):
            return [re.match("(", x) for x in xs]
        ''', "f")
    assert_declines(RID, '''
        import re

        def f(xs):
            return [re.match("a", x, re.DEBUG) for x in xs]
        ''', "f")
    assert_declines(RID, '''
        import re

        def f(x):
            return re.match("a", x)
        ''', "f")
