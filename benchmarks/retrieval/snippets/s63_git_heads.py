# skill: O041
# function: heads
import subprocess


def heads(repos):
    shas = {}
    for repo in repos:
        done = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True)
        shas[repo] = done.stdout.strip()
    return shas
