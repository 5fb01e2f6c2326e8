# skill: O029
# function: power_mod
def power_mod(base, exponent, modulus):
    result = 1
    for _ in range(exponent):
        result = (result * base) % modulus
    return result
