# skill: O021
# function: run_by_priority
def run_by_priority(tasks):
    order = []
    remaining = list(tasks)
    while remaining:
        top = max(remaining)
        remaining.remove(top)
        order.append(top)
    return order
