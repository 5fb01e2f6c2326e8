# skill: O036
# function: is_incomplete
def is_incomplete(form, required_fields):
    return any([form.get(field) in (None, "") for field in required_fields])
