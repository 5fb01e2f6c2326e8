# skill: O026
# function: primes_in_blocks
def check_prime(value):
    if value < 2:
        return False
    f = 2
    while f * f <= value:
        if value % f == 0:
            return False
        f += 1
    return True


def primes_in_blocks(upper):
    return sum(1 for v in range(upper) if check_prime(v))
