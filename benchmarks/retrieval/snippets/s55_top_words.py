# skill: O012
# function: trending
def trending(counts, k=10):
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:k]
    return [word for word, _ in ranked]
