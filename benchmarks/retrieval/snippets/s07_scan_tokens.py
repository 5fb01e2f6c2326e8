# skill: O006
# function: count_vowel_runs
def count_vowel_runs(word):
    i = 0
    runs = 0
    while i < len(word):
        if word[i] in "aeiou":
            runs += 1
            while i < len(word) and word[i] in "aeiou":
                i += 1
        else:
            i += 1
    return runs
