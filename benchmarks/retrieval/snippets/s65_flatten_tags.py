# skill: O035
# function: all_labels
def all_labels(issues):
    labels = []
    for issue in issues:
        for label in issue.labels:
            labels.append(label)
    return labels
