# skill: O034
# function: positive_amounts
def positive_amounts(records):
    return list(filter(lambda r: r > 0, map(lambda r: float(r.split(";")[2]), records)))
