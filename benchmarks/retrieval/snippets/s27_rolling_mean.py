# skill: O024
# function: smooth
def smooth(signal, width):
    return [sum(signal[i:i + width]) / width for i in range(len(signal) - width + 1)]
