# skill: O018
# function: handshakes
def handshakes(people):
    return sum(range(people))
