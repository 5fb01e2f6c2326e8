# skill: O001
# function: Warehouse.needs_reorder
class Warehouse:
    def __init__(self, discontinued):
        self.discontinued = list(discontinued)

    def needs_reorder(self, stock_levels, threshold):
        result = []
        for sku, qty in stock_levels.items():
            if qty < threshold and sku not in self.discontinued:
                result.append(sku)
        return result
