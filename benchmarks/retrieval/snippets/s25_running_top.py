# skill: O022
# function: Tracker.observe_all
class Tracker:
    def __init__(self):
        self.latencies = []

    def observe_all(self, samples):
        p90s = []
        for s in samples:
            self.latencies.append(s)
            ordered = sorted(self.latencies)
            p90s.append(ordered[int(len(ordered) * 0.9)])
        return p90s
