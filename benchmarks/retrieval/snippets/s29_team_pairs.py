# skill: O025
# function: balanced_pairs
def balanced_pairs(skills, tolerance):
    count = 0
    for i, a in enumerate(skills):
        for b in skills[i + 1:]:
            if abs(a - b) <= tolerance:
                count += 1
    return count
