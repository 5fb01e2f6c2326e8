# skill: O024
# function: busiest_stretch
def busiest_stretch(hourly, hours):
    best_start, best_total = 0, -1
    for start in range(len(hourly) - hours + 1):
        total = sum(hourly[start:start + hours])
        if total > best_total:
            best_start, best_total = start, total
    return best_start
