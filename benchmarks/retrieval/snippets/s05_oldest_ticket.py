# skill: O004
# function: oldest_open
def oldest_open(tickets):
    open_ones = [t for t in tickets if t["status"] == "open"]
    return sorted(open_ones, key=lambda t: t["created"])[0]
