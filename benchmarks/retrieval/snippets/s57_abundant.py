# skill: O027
# function: divisor_sum
def divisor_sum(n):
    total = 0
    for d in range(1, n):
        if n % d == 0:
            total += d
    return total
