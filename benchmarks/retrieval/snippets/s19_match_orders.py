# skill: O017
# function: attach_customers
def attach_customers(orders, customers):
    joined = []
    for order in orders:
        for customer in customers:
            if order["customer_id"] == customer["id"]:
                joined.append((order, customer))
    return joined
