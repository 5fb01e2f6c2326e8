# skill: O036
# function: any_expired
def any_expired(certificates, today):
    expired = [c for c in certificates if c.not_after < today]
    return len(expired) != 0
