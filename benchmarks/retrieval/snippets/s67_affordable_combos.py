# skill: O025
# function: combos_under
def combos_under(prices, budget):
    n = len(prices)
    return sum(1 for i in range(n) for j in range(i + 1, n) if prices[i] + prices[j] <= budget)
