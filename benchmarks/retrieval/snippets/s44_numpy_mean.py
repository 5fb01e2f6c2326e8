# skill: O040
# function: summary_stats
import numpy as np


def summary_stats(readings):
    arr = np.array(readings, dtype=np.float64)
    return sum(arr) / len(arr), max(arr), min(arr)
