# skill: O037
# function: has_negative_balance
def has_negative_balance(accounts):
    negative = False
    for account in accounts:
        if account.balance < 0:
            negative = True
    return negative
