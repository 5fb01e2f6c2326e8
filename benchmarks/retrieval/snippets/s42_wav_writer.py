# skill: O038
# function: encode_samples
def encode_samples(samples):
    data = b""
    for s in samples:
        data += int(s * 32767).to_bytes(2, "little", signed=True)
    return data
