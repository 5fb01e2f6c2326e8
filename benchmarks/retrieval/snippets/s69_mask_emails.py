# skill: O003
# function: mask
import re


def mask(messages):
    return [re.sub(r"[\w.]+@[\w.]+", "<email>", m) for m in messages]
