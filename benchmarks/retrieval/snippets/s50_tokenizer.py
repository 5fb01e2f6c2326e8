# skill: O046
# function: Lexer.tokens
class Lexer:
    def tokens(self, source):
        out = []
        while source:
            if source[0].isspace():
                source = source[1:]
            elif source[0].isdigit():
                n = 0
                while n < len(source) and source[n].isdigit():
                    n += 1
                out.append(("NUM", source[:n]))
                source = source[n:]
            else:
                out.append(("SYM", source[0]))
                source = source[1:]
        return out
