# skill: O003
# function: LogParser.levels
import re


class LogParser:
    def levels(self, lines):
        counts = {}
        for line in lines:
            m = re.search(r"\[(DEBUG|INFO|WARN|ERROR)\]", line)
            if m:
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        return counts
