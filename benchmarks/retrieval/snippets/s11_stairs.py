# skill: O010
# function: ways_to_climb
def ways_to_climb(steps):
    if steps <= 1:
        return 1
    return ways_to_climb(steps - 1) + ways_to_climb(steps - 2) + (ways_to_climb(steps - 3) if steps >= 3 else 0)
