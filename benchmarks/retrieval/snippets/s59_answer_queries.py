# skill: O031
# function: answer_all
def answer_all(prefix_counts, queries):
    i = 0
    while i < len(queries):
        a, b = queries[i]
        print(prefix_counts[b] - prefix_counts[a])
        i += 1
