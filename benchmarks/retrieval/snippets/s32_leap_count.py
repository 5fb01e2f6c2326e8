# skill: O028
# function: count_divisible
def count_divisible(lo, hi, step):
    count = 0
    for value in range(lo, hi + 1):
        if value % step == 0:
            count += 1
    return count
