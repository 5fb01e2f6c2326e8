# skill: O011
# function: winner
def winner(ballots):
    best = None
    for candidate in set(ballots):
        if best is None or ballots.count(candidate) > ballots.count(best):
            best = candidate
    return best
