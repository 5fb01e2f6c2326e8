# skill: O011
# function: Corpus.hapaxes
class Corpus:
    def hapaxes(self, tokens):
        tokens = list(tokens)
        return [t for t in tokens if tokens.count(t) == 1]
