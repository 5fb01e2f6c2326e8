# skill: O027
# function: smallest_factor
def smallest_factor(n):
    for candidate in range(2, n):
        if n % candidate == 0:
            return candidate
    return n
