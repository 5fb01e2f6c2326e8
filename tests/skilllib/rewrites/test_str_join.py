"""str_join: string accumulation in a loop becomes a list joined once."""

RID = "str_join"


def test_for_loop_with_branches_and_chained_concatenation(assert_rewrites):
    new = assert_rewrites(RID, '''
        def render(values):
            out = ""
            for v in values:
                if v is None:
                    out = out + "-" + ";"
                else:
                    out += str(v) + ";"
            return out
        ''', "render", [([1, None, 3],), ([],), ([None],)])
    assert 'out = "".join(out_parts)' in new
    assert "out_parts.extend((\"-\", \";\"))" in new


def test_method_with_while_loop_and_intervening_statement(assert_rewrites):
    new = assert_rewrites(RID, '''
        class Banner:
            def __init__(self, width):
                self.width = width

            def line(self, ch):
                text = ''
                count = 0  # how many chars so far
                while count < self.width:
                    text += ch
                    count += 1
                return text.upper()
        ''', "Banner.line", [("a",), ("xy",)], entry=lambda ns: ns["Banner"](4).line)
    assert "text = ''.join(text_parts)" in new
    assert "# how many chars so far" in new


def test_nested_loops_accumulate_in_inner_loop(assert_rewrites):
    new = assert_rewrites(RID, '''
        def grid(rows):
            lines = []
            for row in rows:
                line = ""
                for cell in row:
                    line += f"{cell:>3}"
                lines.append(line)
            return "\\n".join(lines)
        ''', "grid", [([[1, 2], [30, 4]],), ([],), ([[]],)])
    assert "            line_parts.append(f\"{cell:>3}\")" in new


def test_declines_when_string_is_read_inside_loop(assert_declines):
    assert_declines(RID, '''
        def f(words):
            s = ""
            for w in words:
                if len(s) > 10:
                    break
                s += w
            return s
        ''', "f")


def test_declines_with_else_try_or_bytes(assert_declines):
    assert_declines(RID, '''
        def f(words):
            s = ""
            for w in words:
                s += w
            else:
                s += "."
            return s
        ''', "f")
    assert_declines(RID, '''
        def f(words):
            s = ""
            try:
                for w in words:
                    s += w.strip()
            except AttributeError:
                return s
            return s
        ''', "f")
    assert_declines(RID, '''
        def f(chunks):
            s = b""
            for c in chunks:
                s += c
            return s
        ''', "f")


def test_declines_when_nested_function_sees_the_string(assert_declines):
    assert_declines(RID, '''
        def f(words):
            s = ""
            def peek():
                return s
            for w in words:
                s += w + peek()
            return s
        ''', "f")


def test_declines_when_a_handler_inside_the_loop_could_swallow_the_error(assert_declines):
    assert_declines(RID, '''
        def f(items):
            s = ""
            for x in items:
                try:
                    s += x
                except TypeError:
                    pass
            return s
        ''', "f")


def test_self_concatenation_alone(assert_rewrites):
    new = assert_rewrites(RID, '''
        def csv_line(values):
            line = ""
            for v in values:
                line = line + str(v) + ","
            return line
        ''', "csv_line", [([1, "a", None],), ([],)])
    assert 'line_parts.extend((str(v), ","))' in new
