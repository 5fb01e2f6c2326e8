# skill: O023
# function: revenue_between
def revenue_between(daily, periods):
    answers = []
    for first_day, last_day in periods:
        answers.append(sum(daily[first_day:last_day + 1]))
    return answers
