# skill: O014
# function: breadcrumbs
def breadcrumbs(node):
    trail = []
    while node is not None:
        trail.insert(0, node.title)
        node = node.parent
    return " / ".join(trail)
