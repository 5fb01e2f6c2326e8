# skill: O007
# function: Scheduler.drain
class Scheduler:
    def __init__(self):
        self.pending = []

    def drain(self, handler):
        done = 0
        while self.pending:
            job = self.pending.pop(0)
            handler(job)
            done += 1
        return done
