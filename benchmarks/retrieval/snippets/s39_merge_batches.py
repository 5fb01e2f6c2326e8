# skill: O035
# function: Pipeline.collect
class Pipeline:
    def collect(self, stages):
        outputs = [stage.run() for stage in stages]
        return sum(outputs, [])
