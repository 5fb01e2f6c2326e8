# skill: O017
# function: complement_pairs
def complement_pairs(weights, capacity):
    return [(a, b) for a in weights for b in weights if a + b == capacity]
