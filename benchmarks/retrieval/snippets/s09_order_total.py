# skill: O008
# function: order_total
def order_total(lines):
    total = 0
    for line in lines:
        total += line.price * line.quantity
    return total
