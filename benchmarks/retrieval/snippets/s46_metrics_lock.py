# skill: O042
# function: Metrics.record_batch
import threading


class Metrics:
    def __init__(self):
        self.mutex = threading.Lock()
        self.latency_sum = 0.0
        self.count = 0

    def record_batch(self, latencies):
        for value in latencies:
            with self.mutex:
                self.latency_sum += value
                self.count += 1
