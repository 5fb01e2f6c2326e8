# skill: O005
# function: normalise
def normalise(names):
    cleaned = []
    for n in names:
        cleaned.append(n.strip().casefold())
    return cleaned
