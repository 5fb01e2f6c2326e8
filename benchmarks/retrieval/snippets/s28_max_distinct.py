# skill: O024
# function: richest_window
def richest_window(dna, k):
    best = 0
    for start in range(len(dna) - k + 1):
        best = max(best, len(set(dna[start:start + k])))
    return best
