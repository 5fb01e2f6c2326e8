# skill: O016
# function: relative
def relative(scores):
    return [s / max(scores) for s in scores]
