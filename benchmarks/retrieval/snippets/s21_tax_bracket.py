# skill: O019
# function: bracket_of
def bracket_of(incomes, limits):
    limits = sorted(limits)
    out = []
    for income in incomes:
        idx = 0
        while idx < len(limits) and limits[idx] <= income:
            idx += 1
        out.append(idx)
    return out
