# skill: O032
# function: main
def main():
    n, q = map(int, input().split())
    values = list(map(int, input().split()))
    answers = []
    for _ in range(q):
        lo, hi = map(int, input().split())
        answers.append(max(values[lo:hi]))
    return answers
