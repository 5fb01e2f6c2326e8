# skill: O039
# function: threshold
import numpy as np


def threshold(pixels, level):
    img = np.asarray(pixels)
    out = np.zeros_like(img)
    for r in range(img.shape[0]):
        for c in range(img.shape[1]):
            out[r, c] = 255 if img[r, c] > level else 0
    return out
