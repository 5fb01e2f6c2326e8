# skill: O047
# function: normalise_title
def normalise_title(title):
    for mark in "\"'`.,;:!?-":
        title = title.replace(mark, " ")
    return " ".join(title.split())
