# skill: O012
# function: FlightSearch.cheapest
class FlightSearch:
    def __init__(self, offers):
        self.offers = offers

    def cheapest(self, n=5):
        return sorted(self.offers, key=lambda o: o.price)[:n]
